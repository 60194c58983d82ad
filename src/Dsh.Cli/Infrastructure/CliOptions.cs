using System.CommandLine;
using Dsh.Cli.Running;
using Dsh.Training;

namespace Dsh.Cli;

/// <summary>Factories of the options the commands share, each with its validation (a failed check is a usage error, exit code 2).</summary>
internal static class CliOptions
{
    /// <summary>A required folder that must exist.</summary>
    public static Option<string> ExistingDirectory(string name, string description, bool required = true)
    {
        var option = new Option<string>(name) { Description = description, Required = required, HelpName = "DIR" };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (value is not null && !Directory.Exists(value))
            {
                r.AddError(File.Exists(value) ? $"{name}: '{value}' is a file, not a folder" : $"{name}: folder '{value}' does not exist");
            }
        });
        return option;
    }

    /// <summary>A required file that must exist.</summary>
    public static Option<string> ExistingFile(string name, string description, string helpName = "FILE", bool required = true)
    {
        var option = new Option<string>(name) { Description = description, Required = required, HelpName = helpName };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (value is not null && !File.Exists(value))
            {
                r.AddError(Directory.Exists(value) ? $"{name}: '{value}' is a folder, not a file" : $"{name}: file '{value}' does not exist");
            }
        });
        return option;
    }

    /// <summary>A required file or folder that must exist.</summary>
    public static Option<string> ExistingPath(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true, HelpName = "DIR|FILE" };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (value is not null && !File.Exists(value) && !Directory.Exists(value))
            {
                r.AddError($"{name}: '{value}' does not exist");
            }
        });
        return option;
    }

    /// <summary>A required output path (its folder is created when needed).</summary>
    public static Option<string> OutputPath(string name, string description, string helpName = "FILE", bool required = true)
    {
        var option = new Option<string>(name) { Description = description, Required = required, HelpName = helpName };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                r.AddError($"{name}: the path is empty");
            }
        });
        return option;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] with a default.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue, params string[] aliases)
    {
        var option = new Option<int>(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int value) && (value < min || value > max))
            {
                r.AddError(max == int.MaxValue ? $"{name} must be at least {min}, not {value}" : $"{name} must be {min} to {max}, not {value}");
            }
        });
        return option;
    }

    /// <summary>An optional integer in [<paramref name="min"/>, <paramref name="max"/>] (absent: null, the library decides).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int? value) && value is { } v && (v < min || v > max))
            {
                r.AddError($"{name} must be {min} to {max}, not {v}");
            }
        });
        return option;
    }

    /// <summary>An optional count of frozen ResNet stages, 0 to 4 (absent: the profile's own).</summary>
    public static Option<int?> FrozenStages(string name, string description) => OptionalInt(name, description, 0, 4);

    /// <summary><c>--token-size N</c>: the side of the sketch-token maps the token branch reads (<see cref="DshArchitecture.TokenInputSize"/>).</summary>
    public static Option<int?> TokenSize() => OptionalInt("--token-size",
        "resnet18 only: side in px of the photos' sketch-token maps the token branch reads (default 128; it takes 32·n to 32·n + 3; 224, the sketch side, doubles the token branch's time).",
        1, DshArchitecture.MaxDimension);

    /// <summary>The option's value, or false when it did not convert (the parser reports that error itself).</summary>
    internal static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>The code length: 8 to 4096 bits (the network's and the index's limits).</summary>
    public static Option<int> Bits() =>
        Int("--bits", $"Code length in bits ({DshArchitecture.MinCodeLength} to {Hashing.BinaryCode.MaxCodeLength}; the paper uses 32, 64, 128).",
            DshProfile.DefaultCodeLength, DshArchitecture.MinCodeLength, Hashing.BinaryCode.MaxCodeLength);

    /// <summary>The network profile.</summary>
    public static Option<string> Profile()
    {
        var option = new Option<string>("--profile")
        {
            Description = "Network: resnet18 (ImageNet ResNet-18 trunks, best measured), compact (64 px, ~10x cheaper, no ONNX file) or paper (the CVPR 2017 shapes).",
            DefaultValueFactory = _ => DshProfile.Default.Name,
            HelpName = "resnet18|compact|paper",
        };
        option.AcceptOnlyFromAmong([.. DshProfile.Names]);
        return option;
    }

    /// <summary>Training epochs.</summary>
    public static Option<int> Epochs() =>
        Int("--epochs", $"Outer iterations (code update + one pass of SGD). Default: {DshProfile.Default.Epochs}, or more on small data so that resnet18 training takes at least {DshProfile.ResNet18.MinimumSteps} SGD steps; a given N is exact.",
            DshProfile.Default.Epochs, 1, 10_000);

    /// <summary>The second stage of a search: how many Hamming candidates are re-ordered by the sketch's real-valued output.</summary>
    public static Option<int> Rerank() =>
        Int("--rerank", "Re-order the first N Hamming candidates by the sketch's real-valued network output against their codes; 0 = Hamming order only.",
            Dsh.Serving.SketchSearchOptions.DefaultRerankDepth, 0, 1_000_000);

    /// <summary>
    /// Whether each sketch is also encoded mirrored and the two outputs averaged (<see cref="DshModel.MirrorSketches"/>);
    /// <see cref="Given"/> is null when the option is absent, leaving the model's choice.
    /// </summary>
    public static Option<bool> MirrorSketches() => new("--mirror-sketches")
    {
        Description = "Whether each sketch is also encoded mirrored left to right and the two outputs averaged: a second network pass a sketch for slightly better ranking (photo codes are unchanged). Default: as the model says (on for models of the resnet18 profile); --mirror-sketches false encodes each sketch once.",
    };

    /// <summary>The value of a true/false option when the command line gives it, null when it is absent.</summary>
    public static bool? Given(this ParseResult parse, Option<bool> option) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;

    /// <summary>
    /// The class vectors of the semantic term (<see cref="DshTrainerOptions.ClassVectors"/>); a value that is neither a name
    /// nor an existing file is refused by <see cref="DshTrainerOptions.Validated"/>, which the commands turn into a usage error.
    /// </summary>
    public static Option<string> ClassVectors() => new("--class-vectors")
    {
        Description = "Class vectors of the semantic term: wordnet (WordNet 3.0's noun hierarchy, built in), onehot, or a word2vec/GloVe FILE.",
        HelpName = "wordnet|onehot|FILE",
        DefaultValueFactory = _ => DshTrainerOptions.DefaultClassVectors,
    };

    /// <summary>
    /// The pairwise term's target for a photo and a sketch of different classes
    /// (<see cref="Dsh.Objective.DshObjectiveOptions.DissimilarPairTarget"/>): <c>paper</c> (−1, the default), <c>simplex</c>
    /// (−1/(classes − 1)) or a number from −1 to 0; absent: the library's default.
    /// </summary>
    public static Option<string?> DissimilarTarget()
    {
        var option = new Option<string?>("--dissimilar-target")
        {
            Description = "What the pairwise term asks of a photo and a sketch of different classes: paper (opposite codes, the default), simplex (the classes' codes spread evenly: -1/(classes-1)), or a number from -1 to 0 (their inner product over the code length).",
            HelpName = "paper|simplex|X",
        };
        option.CompletionSources.Add("paper", "simplex");
        option.Validators.Add(r =>
        {
            if (r.Tokens is [{ Value: var text }] && !Dsh.Objective.DshObjectiveOptions.TryParseDissimilarPairTarget(text, out _))
            {
                r.AddError($"--dissimilar-target must be paper, simplex or a number from -1 to 0, not '{text}'");
            }
        });
        return option;
    }

    /// <summary>The seed of everything random in training.</summary>
    public static Option<int> Seed() =>
        Int("--seed", "Seed of initial weights and codes, batch order, dropout and augmentation.", DshProfile.Default.Seed, int.MinValue);

    /// <summary>Intra-op threads.</summary>
    public static Option<int> Threads() => Int("--threads", "Intra-op threads; 0 = one per core.", 0, 0, 1024);

    /// <summary>Machine-readable output.</summary>
    public static Option<bool> Json(string description = "Print one JSON object on stdout (progress goes to stderr).") =>
        new("--json") { Description = description };

    /// <summary>Whether one unreadable, corrupt or over-limit image stops the command instead of being skipped and reported.</summary>
    public static Option<bool> Strict() =>
        new("--strict") { Description = "Stop at the first unreadable, corrupt or too large image instead of skipping it (skipped files are listed on stderr and in --json)." };

    /// <summary>The model file.</summary>
    public static Option<string> Model() => ExistingFile("--model", "A model file written by 'dsh train' (.dshm).");

    /// <summary>The model file, or with <see cref="Runtime"/> onnx the folder <c>dsh export</c> wrote.</summary>
    public static Option<string> EncoderModel() =>
        ExistingPath("--model", "A model file written by 'dsh train' (.dshm); with --runtime onnx, the folder 'dsh export' wrote from it.");

    /// <summary>What runs the network: TorchSharp on the model file, or ONNX Runtime on an export (<see cref="ModelFiles.LoadEncoder"/>).</summary>
    public static Option<string> Runtime()
    {
        var option = new Option<string>("--runtime")
        {
            Description = "What encodes the images: torch (TorchSharp, the model file) or onnx (ONNX Runtime, an exported folder; no libtorch needed).",
            DefaultValueFactory = _ => "torch",
            HelpName = "torch|onnx",
        };
        option.AcceptOnlyFromAmong("torch", "onnx");
        return option;
    }
}

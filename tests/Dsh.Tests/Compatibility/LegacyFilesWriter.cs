using System.Diagnostics;
using System.Text.Json;
using System.Text;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Persistence;
using Dsh.Tests.Support;
using Dsh.Training;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp;
using Xunit.Abstractions;

namespace Dsh.Tests.Compatibility;

/// <summary>A test that runs only when <c>DSH_WRITE_LEGACY_FILES=1</c>: it (re)writes committed test data.</summary>
public sealed class LegacyWriterFactAttribute : FactAttribute
{
    public const string Variable = "DSH_WRITE_LEGACY_FILES";

    public LegacyWriterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"writes tests/Dsh.Tests/TestData/LegacyFiles; set {Variable}=1 to run it";
        }
    }
}

/// <summary>
/// The generator of tests/Dsh.Tests/TestData/LegacyFiles (see the README.md there):
/// <c>DSH_WRITE_LEGACY_FILES=1 dotnet test tests/Dsh.Tests --filter FullyQualifiedName~LegacyFilesWriter</c>.
/// Rewriting the files with changed code defeats their purpose (they freeze the format of the commit that wrote them);
/// run it only to add files, on the commit the README names, or to start a new baseline on purpose.
/// </summary>
public sealed class LegacyFilesWriter(ITestOutputHelper output)
{
    private static readonly string[] Categories = { "dog", "elephant", "guitar" };
    private const int TrainSketchesPerCategory = 4;
    private const int TrainPhotosPerCategory = 3;
    private const int ImageSide = 64;

    /// <summary>The tiny Caffe network: <c>Compact(16)</c>, 8-channel trunks, 32-wide heads, 48 px inputs (2×2 trunk outputs).</summary>
    /// <remarks>
    /// The files were written with the first file format, whose architecture was one flat record (<c>SketchInputSize = 48,
    /// PhotoInputSize = 48, SketchChannels = [8 ×5], PhotoChannels = [8 ×5], SketchHeadWidths = [32, 32], FusionWidths =
    /// [32, 32]</c>); this is the same network in today's terms. Rerunning the writer on today's code writes today's format.
    /// </remarks>
    private static DshArchitecture TinyArchitecture => DshArchitecture.Compact(16)
        .WithSizes(48)
        .WithChannels([8, 8, 8, 8, 8], [8, 8, 8, 8, 8])
        .WithHeadWidths([32, 32], [32, 32]);

    [LegacyWriterFact]
    public void WriteLegacyFiles()
    {
        string root = LegacyFiles.Root;
        string work = Path.Combine(Path.GetTempPath(), "dsh-legacy-files");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.CreateDirectory(root);
        string tokens = Path.Combine(work, "tokens");

        (IReadOnlyList<string> probeSketches, IReadOnlyList<string> probePhotos) = WriteImages(root);
        var dataset = SbirDataset.FromFolders(LegacyFiles.TrainSketches, LegacyFiles.TrainPhotos);

        // a, b: the tiny Caffe model, trained for real, and a checkpoint from the middle of its last epoch. (Settings chosen
        // among a few so that the probes get several distinct codes and no output is near 0.)
        string checkpoints = Path.Combine(work, "checkpoints");
        var options = new DshTrainerOptions
        {
            Architecture = TinyArchitecture,
            Epochs = 8,
            BatchSize = 4,
            LearningRate = 1e-2,
            Seed = 7,
            Threads = 2,
            UseWordNet = false,
            CheckpointDirectory = checkpoints,
            CheckpointInterval = 1,
            CheckpointsToKeep = 100,
            TokenCacheDirectory = tokens,
        };
        CheckpointExpectation checkpoint;
        var models = new List<ModelExpectation>();
        using (DshModel model = new DshTrainer(options).Fit(dataset))
        {
            model.Save(LegacyFiles.File(LegacyFiles.TinyModel));
            long stepsPerEpoch = model.Summary.Steps / options.Epochs;
            Assert.True(stepsPerEpoch >= 2, $"{stepsPerEpoch} steps per epoch: no checkpoint inside an epoch");
            long globalStep = stepsPerEpoch * (options.Epochs - 1) + 1; // one step into the last epoch
            string name = $"checkpoint-{globalStep:D9}{TrainingCheckpoint.Extension}";
            string folder = LegacyFiles.File(LegacyFiles.TinyCheckpointFolder);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(checkpoints, name), Path.Combine(folder, name));
            var header = DshJson.Deserialize<TrainingCheckpoint.Header>(LegacyFiles.ReadHeader(Path.Combine(folder, name)).Json, name);
            checkpoint = new CheckpointExpectation
            {
                File = $"{LegacyFiles.TinyCheckpointFolder}/{name}",
                ModelFile = LegacyFiles.TinyModel,
                GlobalStep = header.GlobalStep,
                Epoch = header.Epoch,
                StepInEpoch = header.StepInEpoch,
            };
        }
        models.Add(Expect(LegacyFiles.TinyModel, probeSketches, probePhotos));

        // a': the same network with shared token batch norm and the paper's fillers.
        var sharedOptions = options with
        {
            Architecture = TinyArchitecture with { TokenBatchNorm = TokenBatchNorm.Shared, Initialization = DshInitialization.PaperFillers },
            Epochs = 2,
            BatchSize = 8,
            CheckpointDirectory = null,
            CheckpointInterval = 0,
            CheckpointsToKeep = 2,
        };
        using (DshModel model = new DshTrainer(sharedOptions).Fit(dataset))
        {
            model.Save(LegacyFiles.File(LegacyFiles.TinySharedModel));
        }
        models.Add(Expect(LegacyFiles.TinySharedModel, probeSketches, probePhotos));

        // d: the expected codes and outputs.
        var expectations = new Expectations
        {
            WrittenByCommit = Commit(),
            Library = typeof(DshModel).Assembly.GetName().Version?.ToString() ?? "",
            WrittenUtc = DateTime.UtcNow,
            ProbeSketches = probeSketches,
            ProbePhotos = probePhotos,
            Models = models,
            Checkpoint = checkpoint,
        };
        File.WriteAllText(LegacyFiles.File(LegacyFiles.ExpectationsFile), JsonSerializer.Serialize(expectations, LegacyFiles.Json) + "\n");

        // c: ResNet18(64): a real (one-epoch) run, its model file's and checkpoint's headers, the network's layout.
        string resnetCheckpoints = Path.Combine(work, "resnet-checkpoints");
        var resnetOptions = new DshTrainerOptions
        {
            Architecture = LegacyHeaderTests.ResNet18Of64,
            Epochs = 1,
            BatchSize = 8,
            Seed = 5,
            Threads = 2,
            UseWordNet = false,
            CheckpointDirectory = resnetCheckpoints,
            TokenCacheDirectory = tokens,
        };
        using (DshModel model = new DshTrainer(resnetOptions).Fit(dataset))
        {
            WriteHeader(model, "resnet18-64.model.header.json");
            File.WriteAllLines(LegacyFiles.File(LegacyFiles.LayoutFile("resnet18-64")), LegacyFiles.Layout(model.Network));
        }
        string resnetCheckpoint = TrainingCheckpoint.List(resnetCheckpoints)[0];
        WriteHeaderBytes(resnetCheckpoint, 2, "resnet18-64.checkpoint.header.json");
        using (var network = new DshNetwork(LegacyHeaderTests.ResNet18Of64))
        {
            Assert.Equal(LegacyFiles.Layout(network), LegacyFiles.ReadLayout(LegacyFiles.LayoutFile("resnet18-64")));
        }

        // c': Paper(128): the header of a model file of an untrained network (1.1 GB, saved and deleted) and its layout.
        var paper = DshArchitecture.Paper(128);
        using (var model = new DshModel(new DshNetwork(paper), Categories, new TrainingSummary(), new ContourTokenExtractor().Name,
            new DshTrainerOptions { Architecture = paper, UseWordNet = false }))
        {
            WriteHeader(model, "paper-128.model.header.json");
            File.WriteAllLines(LegacyFiles.File(LegacyFiles.LayoutFile("paper-128")), LegacyFiles.Layout(model.Network));
        }

        foreach (string file in new[] { LegacyFiles.TinyModel, LegacyFiles.TinySharedModel })
        {
            using var model = DshModel.Load(LegacyFiles.File(file));
            File.WriteAllLines(LegacyFiles.File(LegacyFiles.LayoutFile(file)), LegacyFiles.Layout(model.Network));
        }
        Directory.Delete(work, recursive: true);
        foreach (string file in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            output.WriteLine($"{new FileInfo(file).Length,10:N0}  {Path.GetRelativePath(root, file)}");
        }
    }

    /// <summary>Saves <paramref name="model"/> to a temporary file and commits its JSON header, byte for byte.</summary>
    private static void WriteHeader(DshModel model, string name)
    {
        string temp = Path.Combine(Path.GetTempPath(), "dsh-legacy-files", "header.dshmodel");
        model.Save(temp);
        try
        {
            WriteHeaderBytes(temp, 1, name);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void WriteHeaderBytes(string dshFile, ushort kind, string name)
    {
        (ushort version, ushort actualKind, string json) = LegacyFiles.ReadHeader(dshFile);
        Assert.Equal(1, version);
        Assert.Equal(kind, actualKind);
        File.WriteAllBytes(LegacyFiles.File(name), Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// Copies images of three pacs-mini categories as 64×64 PNGs: the first sketches and photos of the train split
    /// (training set of the tiny runs), and the first sketch and photo of each category's test split (probes).
    /// </summary>
    private static (IReadOnlyList<string> Sketches, IReadOnlyList<string> Photos) WriteImages(string root)
    {
        string source = Path.Combine(RepoPaths.Root, "samples", "data", "pacs-mini");
        string images = Path.Combine(root, "images");
        if (Directory.Exists(images))
        {
            Directory.Delete(images, recursive: true);
        }
        var probeSketches = new List<string>();
        var probePhotos = new List<string>();
        foreach (string category in Categories)
        {
            Copy("train", "sketch", category, TrainSketchesPerCategory, Path.Combine(images, "train", "sketch", category), _ => { });
            Copy("train", "photo", category, TrainPhotosPerCategory, Path.Combine(images, "train", "photo", category), _ => { });
            Copy("test", "sketch", category, 1, Path.Combine(images, "probe", "sketch"), f => probeSketches.Add($"images/probe/sketch/{f}"), category + "-");
            Copy("test", "photo", category, 1, Path.Combine(images, "probe", "photo"), f => probePhotos.Add($"images/probe/photo/{f}"), category + "-");
        }
        return (probeSketches, probePhotos);

        void Copy(string split, string domain, string category, int count, string target, Action<string> added, string prefix = "")
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(Path.Combine(source, split, domain, category)).Order(StringComparer.Ordinal).Take(count))
            {
                string name = prefix + Path.GetFileNameWithoutExtension(file) + ".png";
                using Image<Rgb24> image = Image.Load<Rgb24>(file);
                image.Mutate(x => x.Resize(ImageSide, ImageSide));
                image.SaveAsPng(Path.Combine(target, name));
                added(name);
            }
        }
    }

    private static ModelExpectation Expect(string file, IReadOnlyList<string> sketches, IReadOnlyList<string> photos)
    {
        using var model = DshModel.Load(LegacyFiles.File(file));
        ImageExpectation One(string image, bool photo)
        {
            string path = LegacyFiles.File(image);
            Dsh.Hashing.BinaryCode code = photo ? model.EncodePhoto(path) : model.EncodeSketch(path);
            float[] outputs = LegacyFiles.RealOutputs(model, path, photo);
            Assert.Equal(LegacyFiles.Bits(code), new string(outputs.Select(v => v > 0 ? '1' : '0').ToArray()));
            return new ImageExpectation { Image = image, Bits = LegacyFiles.Bits(code), Hex = Convert.ToHexString(code.ToBytes()), Outputs = outputs };
        }
        var s = sketches.Select(i => One(i, photo: false)).ToList();
        var p = photos.Select(i => One(i, photo: true)).ToList();
        return new ModelExpectation
        {
            File = file,
            CodeLength = model.CodeLength,
            Categories = model.Categories,
            Epochs = model.TrainingOptions!.Epochs,
            Seed = model.TrainingOptions.Seed,
            Steps = model.Summary.Steps,
            MinAbsOutput = s.Concat(p).SelectMany(e => e.Outputs).Min(v => Math.Abs((double)v)),
            Sketches = s,
            Photos = p,
        };
    }

    /// <summary>HEAD of the repository, with "+dirty" when src/ differs from it.</summary>
    private static string Commit()
    {
        string Git(string arguments)
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            string text = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return text;
        }
        try
        {
            return Git("rev-parse HEAD") + (Git("status --porcelain -- src").Length > 0 ? "+dirty" : "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

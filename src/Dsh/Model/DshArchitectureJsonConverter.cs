using System.Text.Json.Serialization;
using System.Text.Json;
using Dsh.Pretrained;
using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>
/// The JSON of an architecture in model files and checkpoints: code length, the two trunk specs (each with its
/// <c>Kind</c>), the heads and the two choices. Files written before trunk specs existed hold one flat object with the
/// fields of both backbones (<c>Backbone</c>, <c>SketchInputSize</c>, <c>SketchChannels</c>, …); they are read into the
/// same architecture they described.
/// </summary>
internal sealed class DshArchitectureJsonConverter : JsonConverter<DshArchitecture>
{
    static DshArchitectureJsonConverter() => BuiltInTrunks.Register();

    public override DshArchitecture? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement element = document.RootElement;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An architecture must be a JSON object.");
        }
        if (element.TryGetProperty(nameof(DshArchitecture.SketchTrunk), out _))
        {
            var stored = element.Deserialize<Document>(options) ?? throw new JsonException("Empty architecture.");
            return new DshArchitecture
            {
                CodeLength = stored.CodeLength,
                SketchTrunk = stored.SketchTrunk!,
                PhotoTrunk = stored.PhotoTrunk!,
                SketchHead = stored.SketchHead!,
                FusionHead = stored.FusionHead!,
                TokenBatchNorm = stored.TokenBatchNorm,
                Initialization = stored.Initialization,
                TokenInputSize = stored.TokenInputSize,
                MirrorPhotos = stored.MirrorPhotos,
                MirrorSketches = stored.MirrorSketches,
                Members = stored.Members ?? 1,
            };
        }
        return (element.Deserialize<FlatDocument>(options) ?? throw new JsonException("Empty architecture.")).ToArchitecture();
    }

    public override void Write(Utf8JsonWriter writer, DshArchitecture value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new Document
        {
            CodeLength = value.CodeLength,
            SketchTrunk = value.SketchTrunk,
            PhotoTrunk = value.PhotoTrunk,
            SketchHead = value.SketchHead,
            FusionHead = value.FusionHead,
            TokenBatchNorm = value.TokenBatchNorm,
            Initialization = value.Initialization,
            TokenInputSize = value.TokenInputSize,
            MirrorPhotos = value.MirrorPhotos,
            MirrorSketches = value.MirrorSketches,
            Members = value.Members == 1 ? null : value.Members,
        }, options);

    /// <summary>The stored form.</summary>
    private sealed record Document
    {
        public int CodeLength { get; init; }

        [JsonConverter(typeof(TrunkSpecJsonConverter))]
        public TrunkSpec? SketchTrunk { get; init; }

        [JsonConverter(typeof(TrunkSpecJsonConverter))]
        public TrunkSpec? PhotoTrunk { get; init; }

        public SketchHeadSpec? SketchHead { get; init; }

        public FusionHeadSpec? FusionHead { get; init; }

        public TokenBatchNorm TokenBatchNorm { get; init; } = TokenBatchNorm.PerBranch;

        public DshInitialization Initialization { get; init; } = DshInitialization.PaperFillers;

        /// <summary>Absent (null) in files of architectures whose token maps have the sketch input's size, older files included.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? TokenInputSize { get; init; }

        /// <summary>Written only when true, so that files of models without it stay byte for byte what they were.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool MirrorPhotos { get; init; }

        /// <summary>Written only when true, like <see cref="MirrorPhotos"/>.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool MirrorSketches { get; init; }

        /// <summary>Absent (null) for one member, so that files of single networks stay byte for byte what they were.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? Members { get; init; }
    }

    /// <summary>The flat record of the first file format, with its defaults.</summary>
    private sealed record FlatDocument
    {
        public FlatBackbone Backbone { get; init; }
        public int SketchFrozenStages { get; init; }
        public int PhotoFrozenStages { get; init; }
        public int CodeLength { get; init; }
        public int SketchInputSize { get; init; }
        public int PhotoInputSize { get; init; }
        public int SketchConv1Kernel { get; init; }
        public int SketchConv1Stride { get; init; }
        public int[]? SketchChannels { get; init; }
        public int[]? SketchHeadWidths { get; init; }
        public double[]? SketchHeadDropout { get; init; }
        public int PhotoConv1Kernel { get; init; }
        public int PhotoConv1Stride { get; init; }
        public int[]? PhotoChannels { get; init; }
        public int PhotoGroups { get; init; }
        public int PhotoPool5Padding { get; init; }
        public int LrnSize { get; init; } = 5;
        public double LrnAlpha { get; init; } = 1e-4;
        public double LrnBeta { get; init; } = 0.75;
        public double LrnK { get; init; } = 1.0;
        public int[]? FusionWidths { get; init; }
        public double[]? FusionDropoutA { get; init; }
        public double[]? FusionDropoutB { get; init; }
        public TokenBatchNorm TokenBatchNorm { get; init; } = TokenBatchNorm.PerBranch;
        public double BatchNormEpsilon { get; init; } = 1e-5;
        public double BatchNormMomentum { get; init; } = 0.1;
        public DshInitialization Initialization { get; init; } = DshInitialization.PaperFillers;

        public DshArchitecture ToArchitecture()
        {
            (TrunkSpec sketch, TrunkSpec photo) = Backbone switch
            {
                FlatBackbone.Caffe => ((TrunkSpec)new CaffeSketchTrunkSpec
                {
                    InputSize = SketchInputSize,
                    Conv1Kernel = SketchConv1Kernel,
                    Conv1Stride = SketchConv1Stride,
                    Channels = SketchChannels ?? [],
                    BatchNormEpsilon = BatchNormEpsilon,
                    BatchNormMomentum = BatchNormMomentum,
                }, (TrunkSpec)new AlexNetPhotoTrunkSpec
                {
                    InputSize = PhotoInputSize,
                    Conv1Kernel = PhotoConv1Kernel,
                    Conv1Stride = PhotoConv1Stride,
                    Channels = PhotoChannels ?? [],
                    Groups = PhotoGroups,
                    Pool5Padding = PhotoPool5Padding,
                    LrnSize = LrnSize,
                    LrnAlpha = LrnAlpha,
                    LrnBeta = LrnBeta,
                    LrnK = LrnK,
                }),
                FlatBackbone.ResNet18 => (new ResNet18TrunkSpec { InputSize = SketchInputSize, FrozenStages = SketchFrozenStages },
                    new ResNet18TrunkSpec { InputSize = PhotoInputSize, FrozenStages = PhotoFrozenStages }),
                _ => throw new JsonException($"Unknown backbone {(int)Backbone}."),
            };
            return new DshArchitecture
            {
                CodeLength = CodeLength,
                SketchTrunk = sketch,
                PhotoTrunk = photo,
                SketchHead = new SketchHeadSpec { Widths = SketchHeadWidths ?? [], Dropout = SketchHeadDropout ?? [] },
                FusionHead = new FusionHeadSpec { Widths = FusionWidths ?? [], DropoutA = FusionDropoutA ?? [], DropoutB = FusionDropoutB ?? [] },
                TokenBatchNorm = TokenBatchNorm,
                Initialization = Initialization,
            };
        }
    }

    /// <summary>The closed list of backbones of the first file format.</summary>
    private enum FlatBackbone
    {
        Caffe,
        ResNet18,
    }
}

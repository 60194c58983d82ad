namespace Dsh.Cli.Running;

/// <summary>The network profiles of <c>--profile</c> and the defaults measured on the project's 2-core CPU (docs/results.md).</summary>
internal static class TrainingProfiles
{
    /// <summary>The accepted profile names.</summary>
    public static readonly string[] Names = ["resnet18", "compact", "paper"];

    /// <summary>Default profile: ImageNet ResNet-18 trunks (mAP@all 0.888 / 0.887 at 32 / 64 bits on PACS in ~12 min).</summary>
    public const string DefaultProfile = "resnet18";

    /// <summary>Default outer iterations.</summary>
    public const int DefaultEpochs = 6;

    /// <summary>Default code length.</summary>
    public const int DefaultBits = 64;

    /// <summary>Default seed.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The architecture of a profile at <paramref name="bits"/> bits.</summary>
    /// <exception cref="UsageException">Unknown profile or bits the library rejects.</exception>
    public static DshArchitecture Architecture(string profile, int bits)
    {
        try
        {
            return profile switch
            {
                "resnet18" => DshArchitecture.ResNet18(bits),
                "compact" => DshArchitecture.Compact(bits),
                "paper" => DshArchitecture.Paper(bits),
                _ => throw new UsageException($"unknown profile '{profile}' (use {string.Join(", ", Names)})"),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--bits {bits}: {e.Message}");
        }
    }

    /// <summary>
    /// <paramref name="architecture"/> with other frozen-stage counts (<c>--photo-frozen-stages</c>,
    /// <c>--sketch-frozen-stages</c>); null keeps the profile's. Only the resnet18 profile has stages to freeze.
    /// </summary>
    /// <exception cref="UsageException">A count was given for another profile.</exception>
    public static DshArchitecture WithFrozenStages(DshArchitecture architecture, string profile, int? photo, int? sketch)
    {
        if ((photo is not null || sketch is not null) && profile != "resnet18")
        {
            throw new UsageException($"--photo-frozen-stages and --sketch-frozen-stages apply to --profile resnet18 only, not {profile}");
        }

        return architecture with
        {
            PhotoTrunk = photo is int p ? ((ResNet18TrunkSpec)architecture.PhotoTrunk) with { FrozenStages = p } : architecture.PhotoTrunk,
            SketchTrunk = sketch is int s ? ((ResNet18TrunkSpec)architecture.SketchTrunk) with { FrozenStages = s } : architecture.SketchTrunk,
        };
    }

    /// <summary>
    /// Builds trainer options from a command's values and validates them: a value the library rejects (an
    /// <see cref="ArgumentException"/> from the builder or from <see cref="DshTrainerOptions.Validated"/>) becomes a
    /// one-line usage error (exit code 2) instead of a stack trace.
    /// </summary>
    /// <exception cref="UsageException">The options are not valid.</exception>
    public static DshTrainerOptions ValidatedOptions(Func<DshTrainerOptions> build)
    {
        try
        {
            return build().Validated();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// The default learning rate at <paramref name="bits"/> bits: the trainer's 1e-2 up to 64 bits, 1e-2 · 32 / K above
    /// (measured: ResNet18 at 128 bits, mAP@all 0.812 with 1e-2, 0.899 with 2.5e-3).
    /// </summary>
    public static double DefaultLearningRate(int bits) => bits <= 64 ? 1e-2 : 1e-2 * 32 / bits;
}

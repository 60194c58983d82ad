using Dsh.Native;
using Dsh.Objective;
using System.Diagnostics;
using Dsh.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// The alternating optimisation of DSH over an <see cref="IDshTrainingData"/>: per epoch, the D-step, the network
/// outputs F over the training set (eval mode; only when γ &gt; 0, the one term that reads them), the B_I- and B_S-steps, then one pass of mini-batch SGD of both
/// networks onto the fixed codes. Every random choice derives from (seed, epoch, step), so a run resumed from a
/// checkpoint continues exactly as the uninterrupted run would have.
/// </summary>
internal sealed class DshTrainingLoop
{
    /// <summary>
    /// TorchSharp's dropout and weight initialisation draw from the process-wide generator, so two runs at once
    /// would interleave their random numbers; runs in one process therefore take turns.
    /// </summary>
    private static readonly SemaphoreSlim RunGate = new(1, 1);

    private readonly DshTrainerOptions _options;
    private readonly IDshTrainingData _data;
    private readonly Tensor _classVectors;
    private readonly string _semanticSource;
    private readonly TrainingRunSettings _settings;

    /// <summary>θ-steps per epoch: the larger domain once through, ⌈max(n_I, n_S) / batch⌉.</summary>
    private readonly int _stepsPerEpoch;

    /// <summary>The epochs of this run: <see cref="DshTrainerOptions.EpochsFor"/> of the steps per epoch.</summary>
    private readonly int _epochs;

    public DshTrainingLoop(DshTrainerOptions options, IDshTrainingData data, Tensor classVectors, string semanticSource, string tokenExtractorName)
    {
        _options = options;
        _data = data;
        _classVectors = classVectors;
        _semanticSource = semanticSource;
        _settings = TrainingRunSettings.From(options, classVectors, tokenExtractorName);
        _stepsPerEpoch = options.StepsPerEpoch(data.PhotoLabels.Length, data.SketchLabels.Length);
        _epochs = options.EpochsFor(Math.Max(1, _stepsPerEpoch));
    }

    /// <summary>Trains and returns the network (eval mode, on the training device) with a summary.</summary>
    public (DshNetwork Network, TrainingSummary Summary) Run(IProgress<DshProgress>? progress, CancellationToken cancellationToken)
    {
        RunGate.Wait(cancellationToken);
        int threads = torch.get_num_threads();
        try
        {
            return RunAlone(progress, cancellationToken);
        }
        finally
        {
            torch.set_num_threads(threads); // a process-wide setting: leave it as found
            RunGate.Release();
        }
    }

    private (DshNetwork Network, TrainingSummary Summary) RunAlone(IProgress<DshProgress>? progress, CancellationToken cancellationToken)
    {
        var o = _options;
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(o.Threads > 0 ? o.Threads : Environment.ProcessorCount);
        Device device = ResolveDevice(o.Device);
        int nI = _data.PhotoLabels.Length, nS = _data.SketchLabels.Length;
        if (nI == 0 || nS == 0)
        {
            throw new ArgumentException($"Training needs photos and sketches; got {nI} photos and {nS} training sketches.");
        }
        int codeLength = o.Architecture.CodeLength;
        int stepsPerEpoch = _stepsPerEpoch;
        long totalSteps = (long)stepsPerEpoch * _epochs;

        torch.manual_seed(o.Seed);
        var network = new DshNetwork(o.Architecture);
        Tensor? photoCodes = null, sketchCodes = null, d = null;
        try
        {
            if (o.Architecture.SketchTrunk.HasPretrainedWeights || o.Architecture.PhotoTrunk.HasPretrainedWeights)
            {
                Report(progress, TrainingPhase.Preparing, 0, 0, double.NaN, null, 0, clock, 0,
                    $"ImageNet weights from {o.ImageNetWeightsPath ?? ResNet18Onnx.DefaultPath}");
                network.LoadPretrainedWeights(o.ImageNetWeightsPath);
            }
            if (o.InitialWeightsPath is not null)
            {
                InitialWeights.Load(network, o.InitialWeightsPath);
            }
            network.to(device);
            var sketchTrunk = network.SketchTrunkParameters().Select(p => p.Handle).ToHashSet();
            var fusionHead = network.FusionHeadParameters().Select(p => p.Handle).ToHashSet();
            double sketchFactor = o.SketchTrunkLearningRateFactor, fusionFactor = o.FusionHeadLearningRateFactor;
            using var optimizer = new MomentumSgd(network.TrainableParameters(), o.Momentum, o.WeightDecay,
                p => sketchTrunk.Contains(p.Handle) ? sketchFactor : fusionHead.Contains(p.Handle) ? fusionFactor : 1);
            // Stochastic weight averaging over the θ-steps of the last AveragedEpochs epochs (all of them when that is more).
            int averageFrom = Math.Max(0, _epochs - o.EffectiveAveragedEpochs);
            using WeightAverage? average = o.EffectiveAveragedEpochs > 0 ? new WeightAverage(network) : null;
            using var inputs = new FrozenStageInputs(network, _data, o.CacheFrozenStages, o.FrozenStageCachePrecision, o.FrozenStageCacheVariants, o.Seed);
            DshCodeProblem problem;
            using (var labels = NewDisposeScope())
            {
                problem = new DshCodeProblem(
                    tensor(_data.PhotoLabels.Select(l => (long)l).ToArray()), tensor(_data.SketchLabels.Select(l => (long)l).ToArray()), _classVectors);
            }
            using var problemScope = problem;
            int members = network.MemberCount;
            (photoCodes, sketchCodes) = InitialCodes.CreateForMembers(o.InitialCodes, o.Seed, codeLength, members, _data.Categories.Count, _data.PhotoLabels, _data.SketchLabels);
            photoCodes.DetachFromDisposeScope();
            sketchCodes.DetachFromDisposeScope();
            int startEpoch = 0, startStep = 0;
            long globalStep = 0;
            double batchLoss = double.NaN;
            DshLossTerms? terms = null;
            long bitsChanged = 0;
            string? resumedFrom = null;

            if (o.CheckpointDirectory is not null)
            {
                var restored = TrainingCheckpoint.LoadLatest(o.CheckpointDirectory, o, _data.Fingerprint, _settings, network, optimizer, average,
                    nI, nS, problem.VectorDimension, message => Report(progress, TrainingPhase.Preparing, 0, 0, double.NaN, null, 0, clock, 0, message));
                if (restored is not null)
                {
                    photoCodes.Dispose();
                    sketchCodes.Dispose();
                    photoCodes = restored.PhotoCodes;
                    sketchCodes = restored.SketchCodes;
                    d = restored.D;
                    (startEpoch, startStep, globalStep) = (restored.Header.Epoch, restored.Header.StepInEpoch, restored.Header.GlobalStep);
                    (batchLoss, terms, bitsChanged) = (restored.Header.LastBatchLoss, restored.Header.Terms, restored.Header.BitsChanged);
                    resumedFrom = restored.Path;
                    Report(progress, TrainingPhase.Preparing, 0, globalStep, batchLoss, terms, bitsChanged, clock, 0,
                        $"resumed from {restored.Path} (epoch {startEpoch + 1}, step {startStep} of {stepsPerEpoch})");
                }
            }
            Report(progress, TrainingPhase.Preparing, 0, globalStep, batchLoss, terms, bitsChanged, clock, 0,
                $"{nI} photos, {nS} training sketches, {_data.Categories.Count} categories, {codeLength}-bit codes, {stepsPerEpoch} steps per epoch, class vectors: {_semanticSource}");

            long stepsThisRun = 0;
            var thetaClock = new Stopwatch();
            TimeSpan loopStart = clock.Elapsed;
            for (int epoch = startEpoch; epoch < _epochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int firstStep = epoch == startEpoch ? startStep : 0;
                if (firstStep == 0)
                {
                    using var scope = NewDisposeScope();
                    // F enters only the quantisation term; with γ = 0 the code update needs no pass over the training set.
                    Tensor? fI = null, fS = null;
                    if (o.Objective.Gamma > 0)
                    {
                        Report(progress, TrainingPhase.Encoding, epoch + 1, globalStep, batchLoss, terms, bitsChanged, clock, 0,
                            inputs.Caching && epoch == startEpoch
                                ? "network outputs over the training set (this pass also caches the frozen stages' output)"
                                : "network outputs over the training set");
                        (fI, fS) = EncodeAll(network, inputs, cancellationToken);
                    }
                    var update = MemberCodeUpdate.Run(problem, photoCodes, sketchCodes, fI, fS, o.Objective, members, cancellationToken);
                    terms = update.Terms;
                    bitsChanged = update.BitsChanged;
                    photoCodes?.Dispose();
                    sketchCodes?.Dispose();
                    d?.Dispose();
                    photoCodes = update.PhotoCodes.MoveToOuterDisposeScope().DetachFromDisposeScope();
                    sketchCodes = update.SketchCodes.MoveToOuterDisposeScope().DetachFromDisposeScope();
                    d = update.D.MoveToOuterDisposeScope().DetachFromDisposeScope();
                    Report(progress, TrainingPhase.CodeUpdate, epoch + 1, globalStep, batchLoss, terms, bitsChanged, clock, 0,
                        $"codes updated: {bitsChanged} bits changed, pairwise/pair {terms.Value.PairwisePerPair:F2}");
                }

                // Each member its own batch order and augmentation, as if it were trained alone (the first member: the run's).
                int[] memberSeeds = Enumerable.Range(0, members).Select(m => SeedMixer.MemberSeed(o.Seed, m)).ToArray();
                int[][] photoOrders = memberSeeds.Select(seed => Permutation(nI, SeedMixer.MixInt(seed, epoch, 1))).ToArray();
                int[][] sketchOrders = memberSeeds.Select(seed => Permutation(nS, SeedMixer.MixInt(seed, epoch, 2))).ToArray();
                int larger = Math.Max(nI, nS);
                network.train();
                for (int step = firstStep; step < stepsPerEpoch; step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    thetaClock.Start();
                    int start = step * o.BatchSize;
                    int count = Math.Min(o.BatchSize, larger - start);
                    var batches = Enumerable.Range(0, members).Select(m => new MemberBatch(
                        Enumerable.Range(start, count).Select(i => photoOrders[m][i % nI]).ToArray(),
                        Enumerable.Range(start, count).Select(i => sketchOrders[m][i % nS]).ToArray(),
                        new Random(SeedMixer.MixInt(memberSeeds[m], epoch, step, 4)))).ToArray();
                    double learningRate = o.LearningRateAt(epoch, globalStep, totalSteps);
                    batchLoss = ThetaStep(network, inputs, optimizer, photoCodes, sketchCodes, batches, learningRate, SeedMixer.Mix(o.Seed, epoch, step, 3));
                    if (average is not null && epoch >= averageFrom)
                    {
                        average.Add();
                    }
                    thetaClock.Stop();
                    globalStep++;
                    stepsThisRun++;
                    double itemsPerSecond = stepsThisRun * 2.0 * o.BatchSize / Math.Max(thetaClock.Elapsed.TotalSeconds, 1e-9);
                    Report(progress, TrainingPhase.NetworkStep, epoch + 1, globalStep, batchLoss, terms, bitsChanged, clock, itemsPerSecond, "",
                        eta: TrainingEta.Estimate(clock.Elapsed - loopStart, stepsThisRun, totalSteps - globalStep,
                            inputs.FillElapsed, inputs.ItemsFilled, inputs.ItemsLeftToFill));
                    bool lastOfEpoch = step == stepsPerEpoch - 1;
                    if (o.CheckpointDirectory is not null && o.CheckpointInterval > 0 && globalStep % o.CheckpointInterval == 0 && !lastOfEpoch)
                    {
                        Checkpoint(network, optimizer, average, photoCodes, sketchCodes, d, epoch, step + 1, globalStep, batchLoss, terms, bitsChanged, progress, clock, epoch + 1);
                    }
                }
                if (o.CheckpointDirectory is not null)
                {
                    Checkpoint(network, optimizer, average, photoCodes, sketchCodes, d, epoch + 1, 0, globalStep, batchLoss, terms, bitsChanged, progress, clock, epoch + 1);
                }
            }
            string done = "done";
            if (average is { Count: > 0 })
            {
                average.CopyTo();
                done = $"done; the weights are the average of the last {average.Count} steps";
            }
            network.eval();
            var summary = new TrainingSummary
            {
                Epochs = Math.Max(_epochs, startEpoch),
                Steps = globalStep,
                FinalBatchLoss = batchLoss,
                FinalTerms = terms,
                SemanticSource = _semanticSource,
                ResumedFrom = resumedFrom,
            };
            Report(progress, TrainingPhase.Done, _epochs, globalStep, batchLoss, terms, bitsChanged, clock, 0, done);
            return (network, summary);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        finally
        {
            photoCodes?.Dispose();
            sketchCodes?.Dispose();
            d?.Dispose();
        }
    }

    /// <summary>One member's mini-batch: its photos and sketches (indices into the training set) and its augmentation.</summary>
    private sealed record MemberBatch(int[] PhotoIndices, int[] SketchIndices, Random Augmentation);

    /// <summary>
    /// One mini-batch: both networks in training mode regress onto their codes (plus the class-code term when
    /// ClassCodeWeight &gt; 0); SGD step. With several members, each
    /// member regresses its own batch onto its rows of the codes, and its gradients are clipped on their own.
    /// </summary>
    private double ThetaStep(DshNetwork network, FrozenStageInputs inputs, MomentumSgd optimizer, Tensor photoCodes, Tensor sketchCodes,
        MemberBatch[] batches, double learningRate, long dropoutSeed)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(dropoutSeed);
        Device device = network.Device;
        long bits = photoCodes.shape[0] / batches.Length;
        Tensor? loss = null;
        optimizer.ZeroGrad();
        for (int m = 0; m < batches.Length; m++)
        {
            var (photoIndices, sketchIndices, augmentation) = batches[m];
            Tensor sketches = inputs.Sketches(sketchIndices, augmentation);
            (Tensor photos, Tensor tokens) = inputs.Photos(photoIndices, augmentation);
            Tensor Targets(Tensor codes, int[] indices) =>
                codes.narrow(0, m * bits, bits).index_select(1, tensor(indices.Select(i => (long)i).ToArray(), device: codes.device)).T.to(device);
            Tensor sketchOutputs = network.ForwardSketchFrom(sketches, m), photoOutputs = network.ForwardPhotoFrom(photos, tokens, m);
            Tensor memberLoss = DshObjective.RegressionLoss(sketchOutputs, Targets(sketchCodes, sketchIndices))
                .Plus(DshObjective.RegressionLoss(photoOutputs, Targets(photoCodes, photoIndices)));
            if (_options.ClassCodeWeight > 0)
            {
                Tensor classCodes = ClassCodeTerm.ClassCodes(photoCodes.narrow(0, m * bits, bits), _data.PhotoLabels, _data.Categories.Count).to(device);
                Tensor term = ClassCodeTerm.Loss(sketchOutputs, classCodes, sketchIndices.Select(i => _data.SketchLabels[i]).ToArray(), _options.ClassCodeScale)
                    .Plus(ClassCodeTerm.Loss(photoOutputs, classCodes, photoIndices.Select(i => _data.PhotoLabels[i]).ToArray(), _options.ClassCodeScale));
                memberLoss = memberLoss.Plus(term, _options.ClassCodeWeight);
            }
            loss = loss is null ? memberLoss : loss.Plus(memberLoss);
        }
        double value = loss!.item<float>();
        if (!double.IsFinite(value))
        {
            // Checked before the update, so the weights (and the last checkpoint) stay usable.
            throw new InvalidOperationException(
                $"The training loss became {value}. Lower LearningRate (now {learningRate}) or GradientClipNorm, or check the inputs.");
        }
        loss.backward();
        if (_options.GradientClipNorm > 0)
        {
            for (int m = 0; m < batches.Length; m++)
            {
                nn.utils.clip_grad_norm_(network.TrainableParameters(m), _options.GradientClipNorm);
            }
        }
        optimizer.Step(learningRate);
        return value;
    }

    /// <summary>F_I [m, n_I] and F_S [m, n_S] from the networks in eval mode (no augmentation).</summary>
    private (Tensor PhotoOutputs, Tensor SketchOutputs) EncodeAll(DshNetwork network, FrozenStageInputs inputs, CancellationToken cancellationToken)
    {
        int batch = _options.EncodeBatchSize;
        var photoParts = new List<Tensor>();
        for (int start = 0; start < _data.PhotoLabels.Length; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] indices = Enumerable.Range(start, Math.Min(batch, _data.PhotoLabels.Length - start)).ToArray();
            using var scope = NewDisposeScope();
            (Tensor photos, Tensor tokens) = inputs.Photos(indices, null);
            photoParts.Add(network.EncodePhotoFrom(photos, tokens).MoveToOuterDisposeScope());
        }
        var sketchParts = new List<Tensor>();
        for (int start = 0; start < _data.SketchLabels.Length; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] indices = Enumerable.Range(start, Math.Min(batch, _data.SketchLabels.Length - start)).ToArray();
            using var scope = NewDisposeScope();
            sketchParts.Add(network.EncodeSketchFrom(inputs.Sketches(indices, null)).MoveToOuterDisposeScope());
        }
        return (cat(photoParts, 0).T, cat(sketchParts, 0).T);
    }

    private void Checkpoint(DshNetwork network, MomentumSgd optimizer, WeightAverage? average, Tensor photoCodes, Tensor sketchCodes, Tensor? d,
        int epoch, int stepInEpoch, long globalStep, double batchLoss, DshLossTerms? terms, long bitsChanged,
        IProgress<DshProgress>? progress, Stopwatch clock, int reportEpoch)
    {
        var header = new TrainingCheckpoint.Header
        {
            Architecture = _options.Architecture,
            Seed = _options.Seed,
            BatchSize = _options.BatchSize,
            DataFingerprint = _data.Fingerprint,
            Settings = _settings,
            Epoch = epoch,
            StepInEpoch = stepInEpoch,
            GlobalStep = globalStep,
            LastBatchLoss = batchLoss,
            Terms = terms,
            BitsChanged = bitsChanged,
        };
        string path = TrainingCheckpoint.Save(_options.CheckpointDirectory!, header, network, optimizer, photoCodes, sketchCodes, d, average, _options.CheckpointsToKeep);
        Report(progress, TrainingPhase.Checkpoint, reportEpoch, globalStep, batchLoss, terms, bitsChanged, clock, 0, $"checkpoint {path}");
    }

    private void Report(IProgress<DshProgress>? progress, TrainingPhase phase, int epoch, long step, double batchLoss,
        DshLossTerms? terms, long bitsChanged, Stopwatch clock, double itemsPerSecond, string message, TimeSpan? eta = null)
    {
        if (progress is null)
        {
            return;
        }
        progress.Report(new DshProgress
        {
            Phase = phase,
            Epoch = epoch,
            Epochs = _epochs,
            Step = step,
            TotalSteps = (long)_stepsPerEpoch * _epochs,
            BatchLoss = batchLoss,
            Terms = terms,
            BitsChanged = bitsChanged,
            ItemsPerSecond = itemsPerSecond,
            Elapsed = clock.Elapsed,
            Eta = eta,
            Message = message,
        });
    }

    /// <summary>A seeded Fisher–Yates permutation of 0..n−1 (explicit algorithm: identical on every runtime).</summary>
    internal static int[] Permutation(int n, int seed)
    {
        int[] order = Enumerable.Range(0, n).ToArray();
        ulong state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 1;
        for (int i = n - 1; i > 0; i--)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            int j = (int)((state >> 33) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static Device ResolveDevice(string device)
    {
        string name = device.Trim().ToLowerInvariant();
        if (name == "cpu")
        {
            return CPU;
        }
        if (!cuda.is_available())
        {
            throw new InvalidOperationException(
                $"Device \"{device}\" was asked for, but CUDA is not available to TorchSharp here. Use Device = \"cpu\", or reference a CUDA backend package (e.g. TorchSharp-cuda-linux) on a machine with an NVIDIA GPU.");
        }
        int index = name == "cuda" ? 0 : int.Parse(name[5..], System.Globalization.CultureInfo.InvariantCulture);
        int count = cuda.device_count();
        if (index >= count)
        {
            throw new InvalidOperationException($"Device \"{device}\" was asked for, but this machine has {count} CUDA device(s) (cuda:0 … cuda:{count - 1}).");
        }
        return torch.device(name);
    }
}

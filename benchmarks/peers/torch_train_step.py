#!/usr/bin/python3
"""PyTorch side of the DSH training-step benchmark: time ONE training step of the Deep Sketch Hashing
network pair (C2-Net sketch net + C1-Net photo/token net, official Caffe deploy layout) on the CPU.

Run with Debian's python3-torch and the system interpreter:
    /usr/bin/python3 benchmarks/peers/torch_train_step.py --profile paper --batch 8
Force the reference (netlib) BLAS instead of the alternatives' choice (OpenBLAS when installed):
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack \
        /usr/bin/python3 benchmarks/peers/torch_train_step.py --profile paper --batch 8
OpenBLAS 0.3.21 (Debian 12) falls back to its SSE "Prescott" kernels on Intel CPUs it does not know; the
script warns when that happens, and OPENBLAS_CORETYPE=SkylakeX (AVX-512) or Haswell (AVX2) forces the
right ones.

One step (must match the C# side): zero_grad; f_s = sketch_net(sketches); f_i = photo_net(photos, tokens);
loss = ((f_s - t_s)**2).sum()/B + ((f_i - t_i)**2).sum()/B; backward; SGD(lr 1e-4, momentum 0.9,
weight_decay 1e-5).step(). float32, train mode (dropout on, BatchNorm batch statistics).
"""
import argparse
import ctypes
import os
import statistics
import sys
import time

# ---------------------------------------------------------------------------------------------------
# Architecture profiles: the single place to edit the network shapes.
# ---------------------------------------------------------------------------------------------------
PROFILES = {
    "paper": dict(code=128, sketch_size=200, photo_size=227,
                  sketch_conv1=(14, 3), sketch_channels=[64, 128, 128, 256, 256],
                  sketch_head=[4096, 1024], sketch_dropout=[0.25, 0.25],
                  photo_conv1=(11, 4), photo_channels=[96, 256, 384, 384, 256], photo_groups=2, pool5_pad=1,
                  fusion=[4096, 1024], fusion_dropout_a=[0.3, 0.3], fusion_dropout_b=[0.4, 0.4]),
    "compact": dict(code=128, sketch_size=64, photo_size=64,
                    sketch_conv1=(4, 2), sketch_channels=[32, 64, 64, 128, 128],
                    sketch_head=[512, 256], sketch_dropout=[0.25, 0.25],
                    photo_conv1=(5, 2), photo_channels=[48, 128, 192, 192, 128], photo_groups=2, pool5_pad=1,
                    fusion=[512, 256], fusion_dropout_a=[0.3, 0.3], fusion_dropout_b=[0.4, 0.4]),
}
PAPER_PARAMS_K128 = 281_763_264  # learnable parameters of the paper pair at K=128 (token convs shared)

REFERENCE_BLAS_DIRS = "/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--profile", choices=sorted(PROFILES), default="paper")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=5, help="timed steps (default 5)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    p.add_argument("--threads", type=int, default=2,
                   help="torch intra-op threads; also OPENBLAS_NUM_THREADS/OMP_NUM_THREADS unless set (default 2)")
    p.add_argument("--code", type=int, default=None, help="code length K (default: the profile's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-gemm-probe", action="store_true", help="skip the small sgemm GFLOP/s probe")
    a = p.parse_args()
    if a.batch < 1 or a.steps < 1 or a.warmup < 0 or a.threads < 1:
        p.error("--batch, --steps and --threads must be >= 1, --warmup >= 0")
    return a


ARGS = parse_args()
# OpenBLAS (pthread build) reads these once when it is loaded, i.e. when torch is imported; Debian's
# torch is built with BLAS_INFO=generic, so torch.set_num_threads does not reach OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


# ---------------------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------------------
class SketchConvs(nn.Module):
    """The five C2-Net convolutions: one set of weights, shared by the sketch and sketch-token trunks."""

    def __init__(self, cfg):
        super().__init__()
        c = cfg["sketch_channels"]
        k0, s0 = cfg["sketch_conv1"]
        self.convs = nn.ModuleList([
            nn.Conv2d(3, c[0], k0, stride=s0, padding=0),
            nn.Conv2d(c[0], c[1], 3, padding=1),
            nn.Conv2d(c[1], c[2], 3, padding=1),
            nn.Conv2d(c[2], c[3], 3, padding=1),
            nn.Conv2d(c[3], c[4], 3, padding=1),
        ])


class SketchTrunk(nn.Module):
    """conv-BN-ReLU stack with pools after conv 0, 2 and 4; convs borrowed from SketchConvs, BN owned here.

    The shared convs are held in a plain attribute (not registered) so that each parameter is listed once
    by the owner network; the owner registers SketchConvs itself.
    """

    def __init__(self, cfg, shared: SketchConvs):
        super().__init__()
        self.__dict__["shared"] = shared  # not a submodule: avoids double registration
        self.bns = nn.ModuleList([nn.BatchNorm2d(ch, eps=1e-5, affine=True) for ch in cfg["sketch_channels"]])

    def forward(self, x):
        convs = self.shared.convs
        for i in range(5):
            x = F.relu(self.bns[i](convs[i](x)))
            if i in (0, 2, 4):
                x = F.max_pool2d(x, 3, 2)  # floor mode (Caffe's ceil gives the same shapes for "paper")
        return x


def conv_out(n, k, s=1, p=0):
    return (n + 2 * p - k) // s + 1


def sketch_trunk_hw(cfg):
    k0, s0 = cfg["sketch_conv1"]
    n = conv_out(cfg["sketch_size"], k0, s0)
    for _ in range(3):
        n = conv_out(n, 3, 2)
    return n


def photo_trunk_hw(cfg):
    k0, s0 = cfg["photo_conv1"]
    n = conv_out(cfg["photo_size"], k0, s0)
    n = conv_out(n, 3, 2)
    n = conv_out(n, 3, 2)
    return conv_out(n, 3, 2, cfg["pool5_pad"])


class PhotoTrunk(nn.Module):
    """CaffeNet/AlexNet trunk (C1-Net photo stream): conv-ReLU-pool-LRN x2, conv x3, pool5 with padding."""

    def __init__(self, cfg):
        super().__init__()
        c = cfg["photo_channels"]
        g = cfg["photo_groups"]
        k0, s0 = cfg["photo_conv1"]
        self.conv1 = nn.Conv2d(3, c[0], k0, stride=s0, padding=0)
        self.conv2 = nn.Conv2d(c[0], c[1], 5, padding=2, groups=g)
        self.conv3 = nn.Conv2d(c[1], c[2], 3, padding=1)
        self.conv4 = nn.Conv2d(c[2], c[3], 3, padding=1, groups=g)
        self.conv5 = nn.Conv2d(c[3], c[4], 3, padding=1, groups=g)
        self.lrn = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0)
        self.pool5_pad = cfg["pool5_pad"]

    def forward(self, x):
        x = self.lrn(F.max_pool2d(F.relu(self.conv1(x)), 3, 2))
        x = self.lrn(F.max_pool2d(F.relu(self.conv2(x)), 3, 2))
        x = F.relu(self.conv3(x))
        x = F.relu(self.conv4(x))
        x = F.relu(self.conv5(x))
        return F.max_pool2d(x, 3, 2, padding=self.pool5_pad)


class SketchNet(nn.Module):
    """C2-Net: sketch trunk (shared convs, sketch BN) + fc head to K."""

    def __init__(self, cfg, k, shared):
        super().__init__()
        self.trunk = SketchTrunk(cfg, shared)
        hw = sketch_trunk_hw(cfg)
        h = cfg["sketch_head"]
        self.fc_a = nn.Linear(cfg["sketch_channels"][4] * hw * hw, h[0])
        self.fc_b = nn.Linear(h[0], h[1])
        self.fc_p = nn.Linear(h[1], k)
        self.d = cfg["sketch_dropout"]

    def forward(self, s):
        x = torch.flatten(self.trunk(s), 1)
        x = F.dropout(F.relu(self.fc_a(x)), self.d[0], self.training)
        x = F.dropout(F.relu(self.fc_b(x)), self.d[1], self.training)
        return self.fc_p(x)


class PhotoNet(nn.Module):
    """C1-Net: token trunk (shared convs, token BN) + photo trunk, cross-weight late fusion to K."""

    def __init__(self, cfg, k, shared):
        super().__init__()
        self.token_trunk = SketchTrunk(cfg, shared)
        self.photo_trunk = PhotoTrunk(cfg)
        hs, hp = sketch_trunk_hw(cfg), photo_trunk_hw(cfg)
        if hs != hp:
            raise ValueError(f"token trunk {hs}x{hs} and photo trunk {hp}x{hp} outputs cannot be concatenated")
        fin = (cfg["sketch_channels"][4] + cfg["photo_channels"][4]) * hs * hs
        f = cfg["fusion"]
        self.fc_a1 = nn.Linear(fin, f[0])        # fc_a-S_new
        self.fc_b1 = nn.Linear(fin, f[0])        # fc6_new_new
        self.fc_a2 = nn.Linear(2 * f[0], f[1])   # fc_b-S_new
        self.fc_b2 = nn.Linear(2 * f[0], f[1])   # fc7_new_new
        self.fc_fuse = nn.Linear(2 * f[1], k)
        self.da, self.db = cfg["fusion_dropout_a"], cfg["fusion_dropout_b"]

    def forward(self, photo, token):
        x = torch.flatten(torch.cat([self.token_trunk(token), self.photo_trunk(photo)], dim=1), 1)
        a = F.dropout(F.relu(self.fc_a1(x)), self.da[0], self.training)
        b = F.dropout(F.relu(self.fc_b1(x)), self.db[0], self.training)
        x = torch.cat([a, b], dim=1)
        a = F.dropout(F.relu(self.fc_a2(x)), self.da[1], self.training)
        b = F.dropout(F.relu(self.fc_b2(x)), self.db[1], self.training)
        return self.fc_fuse(torch.cat([a, b], dim=1))


class DshPair(nn.Module):
    """Owns everything once: shared sketch convs, sketch net, photo net."""

    def __init__(self, cfg, k):
        super().__init__()
        self.sketch_convs = SketchConvs(cfg)
        self.sketch_net = SketchNet(cfg, k, self.sketch_convs)
        self.photo_net = PhotoNet(cfg, k, self.sketch_convs)


# ---------------------------------------------------------------------------------------------------
# BLAS detection
# ---------------------------------------------------------------------------------------------------
class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def _mapped_libs():
    libs = []
    with open("/proc/self/maps") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 6 and parts[5].startswith("/") and parts[5] not in libs:
                libs.append(parts[5])
    return libs


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def blas_report():
    """Which BLAS torch's sgemm_ calls resolve to, plus every BLAS/LAPACK file mapped in this process."""
    a = torch.randn(64, 64)
    torch.mm(a, a)  # make sure the BLAS path has been exercised
    lines = []
    mapped = [p for p in _mapped_libs() if any(t in os.path.basename(p) for t in ("blas", "lapack"))]
    lines.append("mapped BLAS/LAPACK files: " + (", ".join(mapped) if mapped else "(none)"))

    # Resolve sgemm_ the way libtorch_cpu's own lookup scope does (its dependency tree, in load order),
    # then ask the dynamic linker which file that address lies in.
    sgemm_file = None
    torch_cpu = next((p for p in _mapped_libs() if os.path.basename(p).startswith("libtorch_cpu.so")), None)
    try:
        libdl = ctypes.CDLL(None)
        libdl.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
        handle = ctypes.CDLL(torch_cpu, mode=os.RTLD_NOLOAD | os.RTLD_LAZY) if torch_cpu else libdl
        addr = ctypes.cast(handle.sgemm_, ctypes.c_void_p).value
        info = _DlInfo()
        if libdl.dladdr(addr, ctypes.byref(info)):
            sgemm_file = os.path.realpath(info.dli_fname.decode())
    except (OSError, AttributeError) as e:  # pragma: no cover - diagnostic only
        lines.append(f"sgemm_ lookup failed: {e}")
    kind = "unknown"
    if sgemm_file:
        if "openblas" in sgemm_file:
            kind = "OpenBLAS"
        elif "/blas/" in sgemm_file:
            kind = "reference BLAS (netlib)"
        lines.append(f"sgemm_ (from libtorch_cpu's scope) resolves to: {sgemm_file} -> {kind}")
    if kind == "OpenBLAS":
        try:
            ob = ctypes.CDLL(sgemm_file, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
            ob.openblas_get_config.restype = ctypes.c_char_p
            ob.openblas_get_corename.restype = ctypes.c_char_p
            core = ob.openblas_get_corename().decode()
            lines.append(f"OpenBLAS config: {ob.openblas_get_config().decode()}; "
                         f"runtime kernels: {core}; threads {ob.openblas_get_num_threads()}; "
                         f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
            kind = f"OpenBLAS/{core}"
            flags = _cpu_flags()
            if core.lower() in ("prescott", "core2", "penryn", "nehalem") and "avx2" in flags:
                better = "SkylakeX" if "avx512f" in flags else "Haswell"
                lines.append(f"WARNING: OpenBLAS chose {core} (SSE) kernels on an AVX2"
                             f"{'/AVX-512' if 'avx512f' in flags else ''} CPU it does not recognise "
                             f"(OpenBLAS issue #4267, fixed in 0.3.25); OPENBLAS_CORETYPE={better} "
                             f"selects the fast kernels")
        except (OSError, AttributeError):
            pass
    alt = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    lines.append(f"alternatives libblas.so.3-x86_64-linux-gnu -> {alt}")
    if os.environ.get("LD_LIBRARY_PATH"):
        lines.append(f"LD_LIBRARY_PATH={os.environ['LD_LIBRARY_PATH']}")
    if os.environ.get("LD_PRELOAD"):
        lines.append(f"LD_PRELOAD={os.environ['LD_PRELOAD']}")
    return kind, lines


def gemm_probe(n=512, reps=5):
    """GFLOP/s of one n x n x n float32 torch.mm (best of reps), a quick sanity check of the BLAS speed."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 / best / 1e9


# ---------------------------------------------------------------------------------------------------
# Benchmark
# ---------------------------------------------------------------------------------------------------
def count(params):
    return sum(p.numel() for p in params)


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(ARGS.seed)
    cfg = dict(PROFILES[ARGS.profile])
    k = ARGS.code if ARGS.code is not None else cfg["code"]
    B = ARGS.batch

    print(f"torch {torch.__version__}  python {sys.version.split()[0]}  ({torch.__file__})")
    print(f"threads: torch intra-op {torch.get_num_threads()}, interop {torch.get_num_interop_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, cpus {os.cpu_count()}, "
          f"mkldnn {torch.backends.mkldnn.is_available()}")
    kind, lines = blas_report()
    print(f"BLAS in use: {kind}")
    for line in lines:
        print("  " + line)
    if not ARGS.no_gemm_probe:
        print(f"  sgemm probe (512^3 torch.mm): {gemm_probe():.1f} GFLOP/s")

    model = DshPair(cfg, k)
    params = list(model.parameters())  # nn.Module.parameters() de-duplicates; shared convs appear once
    assert len({id(p) for p in params}) == len(params)
    n_params = count(params)
    n_convs = count(model.sketch_convs.parameters())
    n_sketch = n_convs + count(model.sketch_net.parameters())
    n_photo = n_convs + count(model.photo_net.parameters())
    hs, hp = sketch_trunk_hw(cfg), photo_trunk_hw(cfg)
    print(f"profile {ARGS.profile}: K={k}, sketch/token {cfg['sketch_size']}^2 -> "
          f"{cfg['sketch_channels'][4]}x{hs}x{hs}, photo {cfg['photo_size']}^2 -> "
          f"{cfg['photo_channels'][4]}x{hp}x{hp}")
    print(f"learnable parameters: {n_params:,} (sketch net {n_sketch:,}; photo net incl. token trunk "
          f"{n_photo:,}; shared sketch/token convs {n_convs:,})")
    if ARGS.profile == "paper" and k == 128:
        assert n_params == PAPER_PARAMS_K128, f"paper K=128 must have {PAPER_PARAMS_K128:,} parameters"

    S, P = cfg["sketch_size"], cfg["photo_size"]
    sketches = torch.randn(B, 3, S, S)
    tokens = torch.randn(B, 3, S, S)
    photos = torch.randn(B, 3, P, P)
    t_s = torch.randint(0, 2, (B, k)).float() * 2 - 1
    t_i = torch.randint(0, 2, (B, k)).float() * 2 - 1

    model.train()
    opt = torch.optim.SGD(params, lr=1e-4, momentum=0.9, weight_decay=1e-5)

    def step():
        opt.zero_grad()
        f_s = model.sketch_net(sketches)
        f_i = model.photo_net(photos, tokens)
        loss = ((f_s - t_s) ** 2).sum() / B + ((f_i - t_i) ** 2).sum() / B
        loss.backward()
        opt.step()
        return loss.item()

    print(f"batch {B}, warmup {ARGS.warmup}, timed steps {ARGS.steps}")
    for i in range(ARGS.warmup):
        t = time.perf_counter()
        loss = step()
        print(f"  warmup {i}: {time.perf_counter() - t:.3f} s  loss {loss:.4g}")
    times = []
    for i in range(ARGS.steps):
        t = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t)
        print(f"  step {i}: {times[-1]:.3f} s  loss {loss:.4g}")
    sd = statistics.stdev(times) if len(times) > 1 else 0.0
    print(f"RESULT profile={ARGS.profile} K={k} batch={B} threads={ARGS.threads} blas={kind.split()[0]} "
          f"s/step mean={statistics.mean(times):.3f} median={statistics.median(times):.3f} "
          f"min={min(times):.3f} stdev={sd:.3f}")


if __name__ == "__main__":
    main()

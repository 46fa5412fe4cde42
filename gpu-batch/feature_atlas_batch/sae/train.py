"""Train a TopK SAE on activations held in memory.

Each step: FVU + auxk_alpha * AuxK loss, the decoder gradient's component along
each decoder row removed, Adam, then decoder rows renormalised to unit norm.
A latent that has not fired for `dead_after_tokens` training tokens is dead
and gets the AuxK signal.
"""

from __future__ import annotations

import math
import time

import torch
from torch import Tensor
from tqdm import tqdm

from ..config import SaeConfig
from .topk import TopKSae


@torch.no_grad()
def evaluate(sae: TopKSae, x: Tensor, batch_size: int = 4096) -> dict:
    """FVU over all of x, and the fraction of latents that never fire on it."""
    device = sae.W_dec.device
    fired = torch.zeros(sae.num_latents, dtype=torch.bool, device=device)
    sq_err = 0.0
    mean = x.mean(0).to(device)
    total = 0.0
    for i in range(0, x.shape[0], batch_size):
        xb = x[i : i + batch_size].to(device)
        sel, _ = sae.encode(xb)
        sq_err += float((xb - sae.decode(sel)).pow(2).sum())
        total += float((xb - mean).pow(2).sum())
        fired[sel.indices[sel.values > 0]] = True
    return {"fvu": sq_err / total, "dead_fraction": 1.0 - float(fired.float().mean())}


def train_topk_sae(
    x: Tensor, cfg: SaeConfig, device: torch.device, seed: int, desc: str = "train-sae", init: TopKSae | None = None
) -> tuple[TopKSae, dict]:
    """x: (N, d) float32 training activations (CPU is fine; batches are moved to `device`).

    `init`: start from this SAE (its width and k must match cfg) instead of a fresh one.
    """
    if x.ndim != 2 or x.shape[0] < cfg.batch_size:
        raise ValueError(f"need a (N, d) matrix with N >= batch_size={cfg.batch_size}, got {tuple(x.shape)}")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    if init is None:
        sae = TopKSae(x.shape[1], cfg.num_latents, cfg.k, device=device)
        with torch.no_grad():
            sae.b_dec.copy_(x.mean(0))
    elif (init.num_latents, init.k, init.d_in) != (cfg.num_latents, cfg.k, x.shape[1]):
        raise ValueError("init SAE's shape differs from the config")
    else:
        sae = init.to(device)
    opt = torch.optim.Adam(sae.parameters(), lr=cfg.learning_rate())
    steps_per_epoch = x.shape[0] // cfg.batch_size
    total_steps = steps_per_epoch * cfg.epochs
    warmup = max(1, min(1000, total_steps // 10))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup))
    since_fired = torch.zeros(cfg.num_latents, dtype=torch.long, device=device)
    history = []
    started = time.time()
    bar = tqdm(total=total_steps, desc=desc, unit="step", mininterval=2.0)
    for epoch in range(cfg.epochs):
        perm = torch.randperm(x.shape[0], generator=gen)
        fvu_sum = aux_sum = 0.0
        for step in range(steps_per_epoch):
            xb = x[perm[step * cfg.batch_size : (step + 1) * cfg.batch_size]].to(device)
            dead = since_fired >= cfg.dead_after_tokens if cfg.auxk_alpha > 0 else None
            out = sae(xb, dead)
            loss = out.fvu + cfg.auxk_alpha * out.auxk_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            sae.remove_parallel_decoder_grad()
            torch.nn.utils.clip_grad_norm_(sae.parameters(), 1.0)
            opt.step()
            sched.step()
            sae.normalize_decoder()
            with torch.no_grad():
                fired = torch.zeros_like(since_fired, dtype=torch.bool)
                fired[out.latents.indices[out.latents.values > 0]] = True
                since_fired += xb.shape[0]
                since_fired[fired] = 0
            fvu_sum += out.fvu.item()
            aux_sum += out.auxk_loss.item()
            bar.update(1)
            if step % 20 == 0:
                bar.set_postfix(fvu=f"{out.fvu.item():.3f}", dead=f"{float((since_fired >= cfg.dead_after_tokens).float().mean()):.2f}")
        history.append({
            "epoch": epoch, "train_fvu": fvu_sum / steps_per_epoch, "auxk_loss": aux_sum / steps_per_epoch,
            "dead_fraction_train": float((since_fired >= cfg.dead_after_tokens).float().mean()),
        })
    bar.close()
    seconds = time.time() - started
    final = evaluate(sae, x)
    stats = {
        **final, "train_tokens": total_steps * cfg.batch_size, "steps": total_steps, "seconds": round(seconds, 3),
        "tokens_per_second": total_steps * cfg.batch_size / seconds if seconds > 0 else math.inf,
        "l0": cfg.k, "history": history,
    }
    return sae, stats

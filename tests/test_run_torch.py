"""vizkit.torch.Run: tensors on any device, no sync per step, and DDP where only rank 0 writes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from vizkit.torch import Run  # noqa: E402


def test_tensors_are_logged_by_value_at_the_time_of_the_call(tmp_path):
    total = torch.zeros(())
    with Run(tmp_path, flush_every=10_000, flush_secs=None) as run:
        for step in range(5):
            total += 1.0  # an accumulator updated in place after logging
            run.log(step=step, total=total, half=torch.tensor([0.5], dtype=torch.float16),
                    count=torch.tensor(step), plain=np.float64(step))
    frame = vk.read_run(tmp_path).pivot(index="step", columns="metric", values="value")
    assert frame["total"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert frame["half"].tolist() == [0.5] * 5
    assert frame["count"].tolist() == [0, 1, 2, 3, 4]


def test_a_tensor_with_gradient_is_detached_and_its_graph_not_kept(tmp_path):
    weight = torch.ones(3, requires_grad=True)
    loss = (weight * 2).sum()
    with Run(tmp_path) as run:
        run.log(loss=loss)
        kept = run._pending[0][4]["loss"]
        assert not kept.requires_grad and kept.grad_fn is None
    assert vk.read_run(tmp_path).value.tolist() == [6.0]


@pytest.mark.parametrize("value, error, message", [
    (torch.ones(3), ValueError, r"`loss` must be a number or a one-element tensor.*shape \(3,\).*loss.mean\(\)"),
    (torch.tensor(True), TypeError, r"`loss` must be a real-valued number.*torch.bool"),
])
def test_tensors_that_are_not_one_number_are_refused_naming_the_metric(tmp_path, value, error, message):
    with Run(tmp_path) as run:
        with pytest.raises(error, match=message):
            run.log(loss=value)


def test_a_meta_tensor_is_refused_at_log_naming_the_metric(tmp_path):
    with Run(tmp_path) as run:
        run.log(step=0, loss=1.0)
        with pytest.raises(ValueError, match=r"`loss` must be a tensor that holds a value.*'meta' device"):
            run.log(step=1, loss=torch.tensor(1.0, device="meta"))
        run.log(step=2, loss=torch.tensor(2.0))
    assert vk.read_run(tmp_path).step.tolist() == [0, 2]


class _LostDevice(torch.Tensor):
    """A tensor whose copy to the host fails at the flush, as after a device or backend error."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.stack, torch.Tensor.to, torch.Tensor.cpu, torch.Tensor.item):
            raise RuntimeError("device lost")
        return super().__torch_function__(func, types, args, kwargs or {})


def test_a_tensor_the_flush_cannot_copy_is_named_and_the_rest_of_the_batch_is_written(tmp_path):
    with Run(tmp_path, flush_every=10_000, flush_secs=None) as run:
        for step in range(6):
            lost = torch.tensor(9.0).as_subclass(_LostDevice)
            run.log(step=step, loss=torch.tensor(float(step)), grad=lost if step in (2, 4) else torch.tensor(1.0))
        run.log(step=6, split="val", acc=lost)  # a record with nothing else: left out whole
        run.log(step=6, split="val", loss=0.5)
        with pytest.warns(UserWarning, match=r"metric `grad` \(train\) at step 2 and 2 more values could not be "
                                             r"copied to the host at the flush \(RuntimeError: device lost\)"):
            run.flush()
    frame = vk.read_run(tmp_path)
    got = {(row.split, row.metric, row.step): row.value for row in frame.itertuples()}
    assert got == {**{("train", "loss", s): float(s) for s in range(6)},
                   **{("train", "grad", s): 1.0 for s in (0, 1, 3, 5)}, ("val", "loss", 6): 0.5}


def test_tensor_arrays_are_saved(tmp_path):
    with Run(tmp_path) as run:
        run.log(step=1, loss=torch.tensor(1.0))
        run.log_array("maps", feature=torch.ones(2, 4, 4))
    assert vk.io.read_arrays(tmp_path, "maps")[1]["feature"].shape == (2, 4, 4)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_logging_cuda_tensors_never_synchronises_the_device(tmp_path):
    device = torch.device("cuda")
    weights = torch.randn(256, 256, device=device)
    with Run(tmp_path, flush_every=1_000, flush_secs=None) as run:
        torch.cuda.set_sync_debug_mode("error")
        try:
            for step in range(200):
                loss = (weights @ weights).square().mean()
                run.log(step=step, loss=loss, acc=(loss > 0).float().mean())
        finally:
            torch.cuda.set_sync_debug_mode("default")
        assert len(run._pending) == 200  # nothing was converted yet
    assert len(vk.read_run(tmp_path)) == 400


DDP_CHILD = textwrap.dedent("""
    import os, sys
    import torch.distributed as dist
    from vizkit.torch import Run
    rank, world, port, folder, all_ranks = int(sys.argv[1]), 2, sys.argv[2], sys.argv[3], sys.argv[4] == "1"
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    with Run(folder, flush_every=7, all_ranks=all_ranks) as run:
        for step in range(50 + 30 * rank):       # ranks log different counts ...
            if rank == 0:
                run.log(step=step, loss=1.0)
            else:
                run.log(step=step, grad_norm=2.0)  # ... and different metric names
    dist.barrier()
    dist.destroy_process_group()
    print("done", rank, run.writes)
    """)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("all_ranks", [False, True])
def test_ddp_only_rank_zero_writes_and_logging_never_waits_on_another_rank(tmp_path, all_ranks):
    port = str(_free_port())
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    children = [subprocess.Popen([sys.executable, "-c", DDP_CHILD, str(rank), port, str(tmp_path), str(int(all_ranks))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for rank in range(2)]
    outputs = [child.communicate(timeout=120) for child in children]  # a hang fails here
    for rank, (child, (out, err)) in enumerate(zip(children, outputs)):
        assert child.returncode == 0, err
        assert out.split() == ["done", str(rank), str(rank == 0 or all_ranks)]
    frame = vk.read_run(tmp_path)
    assert set(frame.metric) == {"loss"} and len(frame) == 50
    assert json.loads((tmp_path / "meta.json").read_text())["status"] == "finished"
    if all_ranks:
        other = vk.read_run(tmp_path / "rank1")
        assert set(other.metric) == {"grad_norm"} and len(other) == 80
    else:
        assert not (tmp_path / "rank1").exists()

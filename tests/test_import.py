"""`import vizkit` is cheap and clean: no torch, nothing heavy, no rcParams changed."""

import subprocess
import sys
import textwrap

import vizkit as vk

HEAVY = ["torch", "tensorboard", "lightning", "matplotlib", "pandas", "seaborn", "scipy", "colour", "sklearn"]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_import_vizkit_loads_nothing_heavy_and_never_asks_for_torch():
    # A finder at the front of sys.meta_path sees every import request, even
    # for a package that is not installed, so "torch" cannot slip by unseen.
    out = _run(f"""
        import sys
        asked = []
        class Spy:
            def find_spec(self, name, path=None, target=None):
                asked.append(name)
                return None
        sys.meta_path.insert(0, Spy())
        import vizkit, vizkit.errors, vizkit.styles
        heavy = {HEAVY!r}
        print(sorted({{n.split('.')[0] for n in asked}} & set(heavy)), sorted(m for m in heavy if m in sys.modules))
    """)
    assert out == "[] []"


def test_public_api_never_imports_torch():
    out = _run("""
        import sys
        class NoTorch:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] == 'torch':
                    raise ImportError('vizkit imported torch')
        sys.meta_path.insert(0, NoTorch())
        import vizkit
        for name in vizkit.__all__:
            getattr(vizkit, name)
        print('ok')
    """)
    assert out == "ok"


def test_importing_and_using_vizkit_changes_no_rcparams():
    out = _run("""
        import matplotlib as mpl
        before = dict(mpl.rcParams)
        import vizkit
        for name in vizkit.__all__:
            getattr(vizkit, name)
        vizkit.palette(); vizkit.check_cvd("vizkit")
        print(dict(mpl.rcParams) == before)
    """)
    assert out == "True"


def test_every_public_name_resolves_and_is_documented():
    for name in vk.__all__:
        value = getattr(vk, name)
        assert value.__doc__, f"vizkit.{name} has no docstring"
    assert set(vk.__all__) <= set(dir(vk))


def test_unknown_attribute_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError, match="module 'vizkit' has no attribute 'nope'"):
        vk.nope  # noqa: B018

import sys

from testrun import installs, pythons


def test_the_newest_python_of_each_other_supported_version(monkeypatch):
    found = {
        "/a/3.9": "3.9.18",
        "/a/3.10.2": "3.10.2",
        "/a/3.10.13": "3.10.13",
        "/a/3.11": "3.11.7",
        "/a/3.12": "3.12.1",
        "/a/3.13": "3.13.0",
        "/a/broken": "",
    }
    monkeypatch.setattr(pythons, "candidate_pythons", lambda: list(found))
    monkeypatch.setattr(pythons, "python_version", found.get)
    assert pythons.other_pythons("3.11.2") == [
        ("/a/3.10.13", "3.10.13"),
        ("/a/3.12", "3.12.1"),
    ]


def test_a_venv_is_reused_only_when_made_by_that_python(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / "pyvenv.cfg").write_text(
        f"home = {tmp_path / 'base' / 'bin'}\n"
        "include-system-site-packages = false\nversion = 3.10.13\n"
    )
    base = tmp_path / "base" / "bin" / "python3"
    assert installs.venv_is_of(venv, base, system_site=False)
    assert not installs.venv_is_of(venv, base, system_site=True)
    assert not installs.venv_is_of(venv, tmp_path / "other" / "python3", False)
    assert not installs.venv_is_of(tmp_path / "none", base, False)


def test_pip_may_install_into_a_venv_even_of_an_externally_managed_python(
    monkeypatch, tmp_path
):
    (tmp_path / "EXTERNALLY-MANAGED").touch()
    monkeypatch.setattr(installs.sysconfig, "get_path", lambda name: str(tmp_path))
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    monkeypatch.setattr(sys, "prefix", "/usr")
    assert "externally managed" in installs.why_own_venv()
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert installs.why_own_venv() == ""

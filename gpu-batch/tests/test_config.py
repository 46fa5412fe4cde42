import pytest

from feature_atlas_batch.cli import main
from feature_atlas_batch.config import ActivationsConfig, SaeConfig, load_run_config, run_config_from_dict

BASE = {
    "run": {"name": "r", "out_dir": "out"},
    "model": {"id": "m"},
    "corpus": {"kind": "sotu", "path": "data"},
}


def _with(section, **values):
    data = {k: dict(v) for k, v in BASE.items()}
    data.setdefault(section, {}).update(values)
    return data


@pytest.mark.parametrize("data,match", [
    (_with("sae", k=0), "k <= num_latents"),
    (_with("sae", k=10, num_latents=5), "k <= num_latents"),
    (_with("activations", layers=[]), "layers"),
    (_with("activations", sites=["attn"]), "sites"),
    (_with("activations", ctx_len=16, max_tokens=8), "max_tokens"),
    (_with("corpus", kind="csv"), "corpus.kind"),
    (_with("model", id="Bad Id"), "model.id"),
    (_with("run", device="tpu"), "device"),
    (_with("decode", top_k=0), "top_k"),
    (_with("match", threshold=2.0), "threshold"),
    (_with("sae", learning_rate=1.0), "unknown keys: learning_rate"),
    ({**BASE, "extra": {}}, "unknown sections: extra"),
    ({"run": BASE["run"], "model": BASE["model"]}, r"\[corpus\] section is required"),
])
def test_bad_configs_are_refused(data, match):
    with pytest.raises(ValueError, match=match):
        run_config_from_dict(data)


def test_relative_paths_resolve_against_the_config_file(tmp_path):
    (tmp_path / "c.toml").write_text('[run]\nname = "r"\nout_dir = "out"\n[model]\nid = "m"\n[corpus]\npath = "data"\n')
    cfg = load_run_config(tmp_path / "c.toml")
    assert cfg.out_dir == str(tmp_path / "out") and cfg.corpus.path == str(tmp_path / "data")


def test_bad_toml_names_the_file(tmp_path):
    (tmp_path / "c.toml").write_text("[run\n")
    with pytest.raises(ValueError, match="c.toml"):
        load_run_config(tmp_path / "c.toml")


def test_cli_reports_config_errors(tmp_path, capsys):
    (tmp_path / "c.toml").write_text('[run]\nname = "r"\nout_dir = "o"\n[model]\nid = "m"\n[corpus]\npath = "d"\n[sae]\nk = -1\n')
    assert main(["stats", str(tmp_path / "c.toml")]) == 2
    assert "k <= num_latents" in capsys.readouterr().err


def test_hookpoints_and_learning_rate():
    assert ActivationsConfig(layers=[6, 3], sites=["resid_post", "mlp_out"]).hookpoints() == [
        ("model.layers.3", 3, "resid_post"), ("model.layers.3.mlp", 3, "mlp_out"),
        ("model.layers.6", 6, "resid_post"), ("model.layers.6.mlp", 6, "mlp_out"),
    ]
    assert SaeConfig(num_latents=16384).learning_rate() == pytest.approx(2e-4)

"""Every setting is documented in the README."""

from gcm.config import ROOT, SETTINGS, load_config


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if s.name not in readme]
    assert missing == []


def test_defaults_use_an_embedded_sqlite_file(monkeypatch) -> None:
    monkeypatch.delenv("GCM_DATABASE_URL", raising=False)
    config = load_config()
    assert config.database_url.startswith("sqlite:///") and "instance" in config.database_url
    assert config.default_language == "es"


def test_unknown_default_language_falls_back_to_spanish(monkeypatch) -> None:
    monkeypatch.setenv("GCM_DEFAULT_LANGUAGE", "fr")
    assert load_config().default_language == "es"


def test_default_group_all_means_every_country(monkeypatch) -> None:
    monkeypatch.setenv("GCM_DEFAULT_GROUP", "ALL")
    assert load_config().default_members is None
    monkeypatch.setenv("GCM_DEFAULT_GROUP", "CRM")
    assert load_config().default_members == "CRM"

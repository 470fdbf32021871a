"""The scale-out files parse: docker-compose.yml and the worker configs it mounts (no Docker run)."""

from __future__ import annotations

from pathlib import Path

import yaml

from groundswell.config.loader import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_workers_use_configs_that_load_with_the_elasticsearch_store() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"elasticsearch", "worker-a", "worker-b", "dashboard"} <= set(services)
    assert "analysis-nori" in services["elasticsearch"]["build"]["dockerfile_inline"]
    env = {
        k: str(v) for k, v in services["worker-a"]["environment"].items() if k.startswith("GROUNDSWELL_STORE")
    }
    owned: list[set[str]] = []
    for worker in ("worker-a", "worker-b"):
        config = services[worker]["command"][-1].replace("/etc/groundswell", str(ROOT / "deploy"))
        settings = load_settings(config, environ=env)
        assert settings.store.backend == "elasticsearch" and settings.store.url == "http://elasticsearch:9200"
        owned.append({s.name for s in settings.sources})
    assert owned[0] and owned[1] and not owned[0] & owned[1]  # each source has exactly one owner
    assert load_settings(ROOT / "deploy/worker-b.yaml", environ={}).alert_rules == []

"""`careerplan organisations create`, `coaches …` and `keys …` on the embedded SQLite default."""

from __future__ import annotations

import re

from click.testing import CliRunner

from careerplan.organisations_cli import coaches_cli, keys_cli, organisations_cli


def test_an_operator_creates_an_organisation_and_manages_its_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    created = runner.invoke(organisations_cli, ["create", "Acme Coaching"])
    assert created.exit_code == 0, created.output
    organisation = re.search(r"organisation (\S+)", created.output).group(1)
    assert re.search(r"cp_[\w-]{43}", created.output)

    new_coach = ["create", "--organisation", organisation, "--coach-id", "c1", "Ann Coach"]
    coach_key = ["create", "--organisation", organisation, "--role", "coach", "--coach-id", "c1"]
    unknown_coach = runner.invoke(keys_cli, coach_key)
    assert unknown_coach.exit_code == 1 and "no coach 'c1'" in unknown_coach.output
    assert runner.invoke(coaches_cli, new_coach).exit_code == 0
    assert (
        "c1  active   Ann Coach"
        in runner.invoke(coaches_cli, ["list", "--organisation", organisation]).output
    )
    coach = runner.invoke(keys_cli, coach_key)
    assert coach.exit_code == 0 and "for coach c1" in coach.output
    listed = runner.invoke(keys_cli, ["list", "--organisation", organisation]).output
    coach_key = next(line.split()[0] for line in listed.splitlines() if " coach " in line)

    assert (
        runner.invoke(keys_cli, ["rotate", "--organisation", organisation, coach_key]).exit_code
        == 0
    )
    admin_key = next(line.split()[0] for line in listed.splitlines() if " admin " in line)
    refused = runner.invoke(keys_cli, ["revoke", "--organisation", organisation, admin_key])
    assert refused.exit_code == 1 and "last admin key" in refused.output
    unknown = runner.invoke(keys_cli, ["create", "--organisation", "nope", "--role", "admin"])
    assert unknown.exit_code == 1 and "no organisation" in unknown.output

"""``b2b-loyalty export``: files in EXPORTS_DIR/<date>/ with stable names, --as access, --all."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from flask.cli import ScriptInfo

from b2b_loyalty.cli import main
from tests.account_review_plugin.conftest import open_workbook, pdf_text


def _run(app, *args: str):  # noqa: ANN001, ANN202
    return CliRunner().invoke(main, ["export", *args], obj=ScriptInfo(create_app=lambda: app))


def _day(tmp_path):  # noqa: ANN001, ANN202
    return tmp_path / date.today().isoformat()


def test_review_of_one_account_lands_in_the_dated_folder(app, people, review_data, tmp_path):
    result = _run(
        app,
        "review",
        "--account",
        str(review_data.account.id),
        "--period",
        review_data.label,
        "--format",
        "xlsx",
        "--output",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    path = _day(tmp_path) / (
        f"account-review_{review_data.account.id}_acme-industrial_{review_data.label}.xlsx"
    )
    assert str(path) in result.output
    assert open_workbook(path.read_bytes())["Summary"]["A1"].value == "Account review"
    # Stable: the same export again overwrites the same file, nothing else appears.
    assert (
        _run(
            app,
            "review",
            "--account",
            str(review_data.account.id),
            "--period",
            review_data.label,
            "--format",
            "xlsx",
            "--output",
            str(tmp_path),
        ).exit_code
        == 0
    )
    assert [p.name for p in _day(tmp_path).iterdir()] == [path.name]


def test_exports_dir_setting_is_the_default_root(make_app, people, review_data, tmp_path):
    app = make_app(EXPORTS_DIR=str(tmp_path / "exports"))
    with app.app_context():
        result = _run(app, "schedules", "--format", "pdf")
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "exports" / date.today().isoformat()).iterdir()
    assert path.name == "discount-schedules_margin-30.pdf"
    assert "Lamps annual" in pdf_text(path.read_bytes())


def test_as_a_manager_another_managers_account_is_not_found(app, people, review_data, tmp_path):
    result = _run(
        app,
        "review",
        "--account",
        str(review_data.other_account.id),
        "--as",
        people["manager"].email,
        "--output",
        str(tmp_path),
    )
    assert result.exit_code == 1
    assert "No such account." in result.output
    assert not _day(tmp_path).exists() or not any(_day(tmp_path).iterdir())


def test_all_as_a_manager_exports_only_their_accounts_with_several_processes(
    app, people, review_data, make_account, tmp_path
):
    make_account(people["manager"], "Acme Second Site")
    result = _run(
        app,
        "review",
        "--all",
        "--as",
        people["manager"].email,
        "--period",
        review_data.label,
        "--format",
        "xlsx",
        "--workers",
        "2",
        "--output",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    assert "2 account reviews with 2 worker processes." in result.output
    names = sorted(p.name for p in _day(tmp_path).iterdir())
    assert len(names) == 2 and all("borealis" not in n for n in names)
    assert any(
        n.startswith(f"account-review_{review_data.account.id}_acme-industrial") for n in names
    )
    for path in _day(tmp_path).iterdir():
        assert open_workbook(path.read_bytes())["Orders"].max_row >= 1


def test_portfolio_as_a_manager_holds_their_portfolio_only(app, people, review_data, tmp_path):
    result = _run(
        app,
        "portfolio",
        "--period",
        review_data.label,
        "--format",
        "xlsx",
        "--as",
        people["manager"].email,
        "--output",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    [path] = _day(tmp_path).iterdir()
    assert path.name == f"portfolio-review_{review_data.label}_anna-manager.xlsx"
    names = [r[2].value for r in open_workbook(path.read_bytes())["Accounts"].iter_rows(min_row=2)]
    assert names == ["Acme Industrial"]
    everything = _run(
        app,
        "portfolio",
        "--period",
        review_data.label,
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "all"),
    )
    assert everything.exit_code == 0, everything.output
    [path] = (tmp_path / "all" / date.today().isoformat()).iterdir()
    names = [r[2].value for r in open_workbook(path.read_bytes())["Accounts"].iter_rows(min_row=2)]
    assert sorted(names) == ["Acme Industrial", "Borealis Trading"]


def test_schedules_as_a_manager_is_refused(app, people, lamps_schedule, tmp_path):
    result = _run(app, "schedules", "--as", people["manager"].email, "--output", str(tmp_path))
    assert result.exit_code == 1
    assert "for finance" in result.output
    ok = _run(
        app,
        "schedules",
        "--as",
        people["finance"].email,
        "--margin-percent",
        "40",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path),
    )
    assert ok.exit_code == 0, ok.output
    assert (_day(tmp_path) / "discount-schedules_margin-40.xlsx").exists()


def test_bad_input_is_a_usage_error(app, people, review_data, tmp_path):
    bad_period = _run(
        app, "review", "--account", "1", "--period", "2026-Q9", "--output", str(tmp_path)
    )
    assert bad_period.exit_code == 2 and "is not a period" in bad_period.output
    neither = _run(app, "review", "--output", str(tmp_path))
    assert neither.exit_code == 2 and "--account ID" in neither.output
    nobody = _run(app, "portfolio", "--as", "nobody@example.com", "--output", str(tmp_path))
    assert nobody.exit_code == 1 and "No active user" in nobody.output
    margin = _run(app, "schedules", "--margin-percent", "150", "--output", str(tmp_path))
    assert margin.exit_code == 1 and "between 0 and 100" in margin.output
    huge = "99999999999999999999"
    for command, option in (("review", "--account"), ("portfolio", "--owner")):
        result = _run(app, command, option, huge, "--output", str(tmp_path))
        assert result.exit_code == 2 and "is not in the range" in result.output, command
    too_long = _run(
        app,
        "review",
        "--all",
        "--from",
        "1901-01-01",
        "--to",
        "2998-12-31",
        "--output",
        str(tmp_path),
    )
    assert too_long.exit_code == 2 and "too long" in too_long.output

"""The load run's locustfile loads, and its browser-like helpers fill forms and compute codes as the portal expects."""

import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from bench import cluster

LOCUSTFILE = cluster.ROOT / "bench" / "locustfile.py"


def test_locust_loads_the_file_and_finds_every_kind_of_person():
    locust = Path(sys.executable).with_name("locust")  # the suite's own environment
    listed = subprocess.run([str(locust), "-f", str(LOCUSTFILE), "--list"], check=False, capture_output=True,
                            text=True, timeout=120, cwd=cluster.ROOT)
    assert listed.returncode == 0, listed.stderr
    for person in ("Specialist", "Township", "Agency", "Firm", "District", "Public"):
        assert person in listed.stdout


@pytest.fixture
def helpers(monkeypatch):
    """The locustfile's module with a stand-in for locust (its gevent patching has no place in the test process)."""
    stand_in = types.ModuleType("locust")
    stand_in.HttpUser = object
    stand_in.between = lambda *args: None
    stand_in.task = lambda weight=1: (lambda function: function)
    hook = types.SimpleNamespace(add_listener=lambda function: function)
    stand_in.events = types.SimpleNamespace(test_start=hook, test_stop=hook, request=hook)
    monkeypatch.setitem(sys.modules, "locust", stand_in)
    spec = importlib.util.spec_from_file_location("load_locustfile", LOCUSTFILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_codes_are_the_ones_the_second_factor_accepts(helpers):
    key = "3132333435363738393031323334353637383930"
    for moment in (59, 1111111109, 2000000000):
        expected = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
        expected.time = moment
        assert helpers.totp(key, at=moment) == str(expected.token()).zfill(6)


PAGE = """
<form method="post" action="/i18n/setlang/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="t"><input type="hidden" name="idempotency_key" value="k123456789">
  <select name="enterprise"><option value="">请选择</option><option value="7">甲</option><option value="9">乙</option></select>
  <select name="co_agencies" multiple><option value="1">区经信局</option></select>
  <select name="problem1_category"><option value="">—</option><option value="water">用水</option></select>
  <input type="radio" name="mode" value="on_site" checked><input type="radio" name="mode" value="phone">
  <input type="checkbox" name="checks" value="a"><input type="checkbox" name="checks" value="b" checked>
  <textarea name="notes">旧</textarea><input type="file" name="attachment"><button type="submit">保存</button>
</form>"""


def test_a_form_is_sent_as_a_browser_sends_it(helpers):
    form = [form for form in helpers.forms_of(PAGE) if form.has("idempotency_key")][0]
    data = helpers.form_data(form, {"enterprise": helpers.ANY, "notes": "新"})
    sent = dict(data)
    assert sent["idempotency_key"] == "k123456789" and sent["csrfmiddlewaretoken"] == "t"
    assert sent["enterprise"] in {"7", "9"} and sent["notes"] == "新"
    assert sent["mode"] == "on_site" and ("checks", "b") in data and ("checks", "a") not in data
    # Optional choices stay empty: neither a co-handling agency nor a problem slot is filled unasked.
    assert "co_agencies" not in sent and "problem1_category" not in sent
    assert form.files == ["attachment"]

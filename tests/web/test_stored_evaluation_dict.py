"""The evaluation list's fast path: an evaluation read from its stored JSON text gives
exactly `evaluation_dict` of the model, in the current shape and in older ones."""

from __future__ import annotations

import json

import pytest

from serviceqa.model import Evaluation, LearnedModelUse
from serviceqa.output import evaluation_dict, stored_evaluation_dict
from serviceqa.store.engine import json_dumps


@pytest.fixture(scope="module")
def evaluations(demo_pairs) -> list[Evaluation]:
    found = [e for _, e in demo_pairs]
    evidence = [i for e in found for c in e.criteria for i in c.evidence]
    # the trimming must be exercised: spans marked missing, and reasons given
    assert any(i.missing for i in evidence) and any(not i.missing for i in evidence)
    assert any(c.reason for e in found for c in e.criteria)
    assert any(e.alerts for e in found)
    return found


@pytest.mark.parametrize("explain", [False, True])
def test_current_shape_as_pydantic_or_json_dumps_wrote_it(evaluations, explain):
    for evaluation in evaluations:
        expected = evaluation_dict(evaluation, explain)
        assert stored_evaluation_dict(evaluation.model_dump_json(), explain) == expected
        as_stdlib = json_dumps(evaluation.model_dump(mode="json"))  # spaces after , and :
        assert stored_evaluation_dict(as_stdlib, explain) == expected


def test_an_older_shape_gets_the_models_defaults(evaluations):
    old = json.loads(evaluations[0].model_dump_json())
    del old["metrics"]  # stored before metrics existed
    del old["criteria"][0]["evidence"][0]["detector"]
    found = stored_evaluation_dict(json.dumps(old))
    assert found == evaluation_dict(Evaluation.model_validate(old))
    assert found["metrics"] == {}


def test_an_evaluation_with_a_learned_model_keeps_it(evaluations):
    evaluation = evaluations[0].model_copy(
        update={"model": LearnedModelUse(version=3, criteria=["closing"])})
    found = stored_evaluation_dict(evaluation.model_dump_json())
    assert found == evaluation_dict(evaluation)
    assert found["model"]["version"] == 3

"""Who may do what in the weekly contest, and the workflow of a contest week.

The district office runs the contest: it edits the indicators' definitions and weights and the lists'
size, enters the inspectors' figures, computes a week's draft, publishes it and opens corrections.
Township staff open the breakdown of their own units. Everyone else only reads what is published (the
querysets in leaderboard.models say what each role sees).
"""

from fuyang_portal import policy
from fuyang_portal.policy import Step, Workflow, district, role_is, rule
from fuyang_portal.roles import Role

from .models import ContestWeek, Indicator, IndicatorChange, InspectionScore, LevelSetting, Objection, Score, ScoreOverride, UnitResult

DRAFT = ContestWeek.Status.DRAFT
PUBLISHED = ContestWeek.Status.PUBLISHED
SUPERSEDED = ContestWeek.Status.SUPERSEDED


@rule
def unit_of_own_township(user, result):
    """The unit (a township, or one of its villages or groups) belongs to the user's township. Asked of
    the model (``result`` None): township staff may open breakdowns at all."""
    return result is None or result.township_id == user.township_id


inspectors = district  # the district office's inspectors enter and correct the entered indicators' figures

policy.register(Indicator, actions={"change": district})  # edit a definition or its weights; shipped, never created or deleted
policy.register(IndicatorChange, actions={})  # written by the indicator's edit
policy.register(LevelSetting, actions={"change": district})  # the lists' size and the data threshold per level
policy.register(InspectionScore, actions={"create": inspectors, "change": inspectors})
policy.register(Score, actions={})  # written by computing a week
policy.register(UnitResult, actions={"breakdown": district | (role_is(Role.TOWNSHIP) & unit_of_own_township)})

# A week's draft is created by its first computation; a draft is always computed (the rows are written
# with it), so "draft" means "computed, not published". Publishing freezes it. A correction is a new draft
# revision opened beside the published one; publishing that correction supersedes the one before.
policy.register(
    ContestWeek,
    # ``sensitivity``: the lists under other scorings and the borderline units, the district office's reading.
    actions={"sensitivity": district},
    workflow=Workflow(
        "status",
        [
            #    action       from         to           who
            Step("compute", [DRAFT], DRAFT, district),  # (re)compute scores, ranks and lists
            Step("publish", [DRAFT], PUBLISHED, district),  # refused while figures are missing or the draft is stale
            Step("correct", [PUBLISHED], PUBLISHED, district),  # opens the next revision as a draft, with a reason
            Step("supersede", [PUBLISHED], SUPERSEDED, district),  # when that correction is published
            # The units' objections (leaderboard/appeals.py): the district may end the window early, with a
            # reason; an accepted objection replaces the draft by a new revision computed on the corrected figure.
            Step("close-appeals", [DRAFT], DRAFT, district),
            Step("revise", [DRAFT], SUPERSEDED, district),
        ],
    ),
)


# --- objections to a draft (leaderboard/appeals.py) ------------------------------------------------------


# Who may object: staff of a ranked unit. Which figures: those of their own units, found through
# ``Score.objects.visible_to`` (leaderboard.models.own_units); another unit's figure is out of scope (404).
unit_staff = role_is(Role.TOWNSHIP, Role.AGENCY)


OPEN = Objection.Status.OPEN
policy.register(
    Objection,
    actions={"create": unit_staff},
    workflow=Workflow(
        "status",
        [
            Step("accept", [OPEN], Objection.Status.ACCEPTED, district),  # the figure is corrected, the week recomputed
            Step("reject", [OPEN], Objection.Status.REJECTED, district),  # with a reason
        ],
    ),
)
policy.register(ScoreOverride, actions={})  # written by accepting an objection

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# what a question of a satisfaction survey measures (客户满意度反馈表)
SATISFACTION_DIMENSIONS = [
    ("response_speed", "Response Speed"),
    ("resolution", "Resolution Effect"),
    ("communication", "Communication Experience"),
    ("recommend", "Likelihood to Recommend"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    satisfaction_dimension = fields.Selection(
        selection=SATISFACTION_DIMENSIONS,
        help="What the question measures in a customer satisfaction survey: its "
        "answers are stored on the satisfaction feedback for reporting. Response "
        "speed, resolution and communication are scales of 1 to 5, the "
        "recommendation a scale of 0 to 10.",
    )

    @api.constrains("satisfaction_dimension", "question_type", "scale_min", "scale_max")
    def _check_satisfaction_dimension(self):
        """A dimension is measured on a scale its feedback stores: 1 to 5,
        or 0 to 10 for the recommendation."""
        for question in self.filtered("satisfaction_dimension"):
            low, high = (
                (0, 10) if question.satisfaction_dimension == "recommend" else (1, 5)
            )
            if question.question_type != "scale" or not (
                low <= question.scale_min < question.scale_max <= high
            ):
                raise ValidationError(
                    self.env._(
                        "Question %(question)s measures %(dimension)s: make it a "
                        "scale within %(min)s to %(max)s.",
                        question=question.title,
                        dimension=dict(
                            question._fields[
                                "satisfaction_dimension"
                            ]._description_selection(self.env)
                        )[question.satisfaction_dimension],
                        min=low,
                        max=high,
                    )
                )

    def _validate_scale(self, answer):
        """An answer outside the question's scale, or not a whole number, is
        refused: the survey page offers only the scale's values, but a
        submission can be forged."""
        errors = super()._validate_scale(answer)
        if errors or answer in (None, False, ""):
            return errors
        try:
            value = float(answer)
            whole = not isinstance(answer, bool) and value == int(value)
        except (TypeError, ValueError, OverflowError):
            whole = False
        if not whole or not self.scale_min <= value <= self.scale_max:
            return {
                self.id: self.env._(
                    "Choose a whole number from %(min)s to %(max)s.",
                    min=self.scale_min,
                    max=self.scale_max,
                )
            }
        return {}

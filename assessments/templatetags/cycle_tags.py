from django import template

from assessments.cycles import step_for

register = template.Library()


@register.simple_tag
def cycle_step(assessment):
    """The step ``assessment``'s region is at in its cycle, or None:
    ``{% cycle_step assessment as step %}``."""
    return step_for(assessment)

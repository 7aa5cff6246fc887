from django.utils.functional import SimpleLazyObject
from wagtail import hooks

from learning import queries, services
from learning.models import CourseIndexPage, CoursePage, LessonPage


@hooks.register("before_serve_page", order=100)
def course_progress(page, request, serve_args, serve_kwargs):
    """Courses: a signed-in learner opening a lesson is remembered (to resume there), and
    the course pages get the learner's progress as `request.course_progress` (the models'
    get_context stays as it is). Wagtail's preview does not run this hook: the templates
    then show the page without progress."""
    if not isinstance(page, (CourseIndexPage, CoursePage, LessonPage)):
        return None
    user = request.user
    if (
        isinstance(page, LessonPage)
        and request.method == "GET"
        and user.is_authenticated
        and all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
    ):
        services.open_lesson(user, page)
    request.course_progress = SimpleLazyObject(lambda: queries.progress_for_page(user, page))
    return None

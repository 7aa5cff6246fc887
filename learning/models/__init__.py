"""Wagtail pages: the editorial half of the platform, one module per part."""

from learning.models.courses import CourseIndexPage, CoursePage, LessonPage, LessonProgress
from learning.models.home import HomePage
from learning.models.knowledge import (
    EvidenceLevel,
    KnowledgeIndexPage,
    WorkingElementChallenge,
    WorkingElementPage,
    WorkingElementTargetGroup,
    WorkingElementTheme,
)
from learning.models.leervragen import (
    LearningQuestion,
    LearningQuestionFollower,
    LearningQuestionMove,
    LearningQuestionVote,
)
from learning.models.method import MethodPage
from learning.models.scenarios import ScenarioChooserPage, ScenarioIndexPage, ScenarioPage

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "EvidenceLevel",
    "HomePage",
    "KnowledgeIndexPage",
    "LearningQuestion",
    "LearningQuestionFollower",
    "LearningQuestionMove",
    "LearningQuestionVote",
    "LessonPage",
    "LessonProgress",
    "MethodPage",
    "ScenarioChooserPage",
    "ScenarioIndexPage",
    "ScenarioPage",
    "WorkingElementChallenge",
    "WorkingElementPage",
    "WorkingElementTargetGroup",
    "WorkingElementTheme",
]

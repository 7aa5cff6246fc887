"""Werkzame elementen in the kennisbank: real Wagtail pages under /kennisbank/. Treebeard
inserts one page at a time, so there are only a few hundred; saving a live page indexes
it through Wagtail's own signal, so the kennisbank search finds them."""

from __future__ import annotations

from django.utils import timezone

from bench import gen_text as text
from bench.gen_core import REFERENCE, Ctx
from learning.models import EvidenceLevel, HomePage, KnowledgeIndexPage, WorkingElementPage


def _index() -> KnowledgeIndexPage:
    page = KnowledgeIndexPage.objects.first()
    if page is not None:
        return page
    home = HomePage.objects.first()
    page = KnowledgeIndexPage(
        title="Kennisbank: werkzame elementen",
        slug="kennisbank",
        intro="<p>Wat werkt, waarom, voor wie en waar?</p>",
        live=True,
        first_published_at=REFERENCE,
        last_published_at=REFERENCE,
    )
    home.add_child(instance=page)
    return page


def make_pages(ctx: Ctx) -> None:
    rng = ctx.rng("pages")
    parent = _index()
    levels = [level.value for level in EvidenceLevel]
    first = None
    for i in range(ctx.counts["working_elements"]):
        name = text.title(rng)
        page = WorkingElementPage(
            title=f"{name} ({i + 1})",
            slug=f"bench-werkzaam-element-{i + 1}",
            summary=text.paragraph(rng, 2),
            mechanism=f"<p>{text.paragraph(rng, 3)}</p>",
            target_group=f"<p>{text.sentence(rng)}</p>",
            context=f"<p>{text.sentence(rng)}</p>",
            steps=[
                {"type": "step", "value": {"title": text.title(rng), "text": text.sentence(rng)}}
                for _ in range(3)
            ],
            evidence_level=levels[i % len(levels)],
            sources=[
                {
                    "type": "source",
                    "value": {
                        "title": text.title(rng),
                        "url": f"https://kennis.example.org/bron/{i}",
                        "note": text.sentence(rng, 5),
                    },
                }
                for _ in range(2)
            ],
            contact_name=" ".join(text.person(i + 1)[:2]),
            contact_organisation="Kenniscentrum Sociaal Domein",
            contact_email=f"kennis{i + 1}@bench.example.org",
            live=True,
            first_published_at=timezone.now(),
            last_published_at=timezone.now(),
        )
        page.themes.add(*rng.sample(text.THEMES, 2))
        page.challenges.add(rng.choice(text.CHALLENGES))
        page.target_groups.add(rng.choice(["ouderen", "jongeren", "gezinnen", "mantelzorgers"]))
        parent.add_child(instance=page)
        first = first or page
    ctx.manifest["kennisbank_url"] = parent.url
    ctx.manifest["working_element_url"] = first.url if first else None

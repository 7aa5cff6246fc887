"""Figures imported from a CSV file: every row checked and shown before anything is
saved, a clear reason for every refusal, and all rows or none written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from community.models import AuditEntry
from journeys import services
from journeys.models import DataPoint, Journey
from journeys.reports import indicator_import
from journeys.reports.indicator_import import import_data_points, parse_csv
from journeys.services import RuleViolation

pytestmark = pytest.mark.django_db

HEADER = "indicator;waarde;eenheid;datum;bron"
GOOD = (
    f"{HEADER}\n"
    "Eenzame ouderen;120;personen;01-03-2025;Gezondheidsmonitor\n"
    "Eenzame ouderen;95;personen;2026-10-01;Gezondheidsmonitor\n"
    "Bezoeken buurthuis;1.234,5;bezoeken;15-06-2026;Registratie\n"
)


@pytest.fixture(autouse=True)
def _english():
    # The checks' own messages are read in English here; the pages below speak Dutch.
    with translation.override("en"):
        yield


@pytest.fixture
def journey(make_journey):
    return make_journey()


@pytest.fixture
def rosa(personas):
    return personas["reisbegeleider"]


def _point(journey, actor, *, indicator="Eenzame ouderen", unit="personen", day=date(2024, 1, 1)):
    return services.add_data_point(
        actor,
        journey,
        lens="data",
        indicator=indicator,
        value=Decimal("100"),
        unit=unit,
        source="GGD",
        measured_on=day,
    )


def _errors(parsed) -> dict[int, list[str]]:
    return {row.number: row.errors for row in parsed.rows if row.errors}


# --- Reading and checking ----------------------------------------------------------------


def test_a_good_file_reads_every_row_with_dutch_numbers_and_both_date_forms(journey):
    parsed = parse_csv(journey, GOOD.encode())

    assert parsed.is_valid and not parsed.file_errors
    assert [row.number for row in parsed.rows] == [2, 3, 4]
    first, second, third = parsed.rows
    assert (first.indicator, first.value, first.unit, first.measured_on, first.lens) == (
        "Eenzame ouderen",
        Decimal("120"),
        "personen",
        date(2025, 3, 1),
        "data",
    )
    assert second.measured_on == date(2026, 10, 1)
    assert third.value == Decimal("1234.5")
    assert parsed.indicators == ["Bezoeken buurthuis", "Eenzame ouderen"]


def test_excel_bom_and_commas_between_columns_are_understood(journey):
    content = (
        "\ufeffIndicator,Waarde,Eenheid,Datum,Bron\r\n"
        'Eenzame ouderen,"12,5",%,01/03/2025,GGD\r\n'
        "Eenzame ouderen,13.25,%,1-9-2025,GGD\r\n"
    ).encode()

    parsed = parse_csv(journey, content)

    assert parsed.is_valid, _errors(parsed)
    assert parsed.delimiter == ","
    assert [row.value for row in parsed.rows] == [Decimal("12.5"), Decimal("13.25")]
    assert parsed.rows[1].measured_on == date(2025, 9, 1)


def test_wrong_columns_give_one_message_naming_the_expected_columns(journey):
    parsed = parse_csv(journey, b"naam;getal;datum\nEenzame ouderen;12;01-01-2025\n")

    assert not parsed.is_valid and parsed.rows == []
    assert len(parsed.file_errors) == 1
    message = parsed.file_errors[0]
    assert "indicator;waarde;eenheid;datum;bron" in message
    assert "Missing: indicator, waarde, eenheid, bron" in message
    assert "Not known: naam, getal" in message


def test_a_column_named_twice_is_a_file_error(journey):
    parsed = parse_csv(journey, f"{HEADER};bron\nA;1;x;01-01-2025;GGD;GGD\n".encode())
    assert "More than once: bron" in parsed.file_errors[0]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (f"{HEADER}\n".encode(), "no rows"),
        (f"{HEADER}\nA;1;x;01-01-2025;GGD\n".encode("utf-16"), "not a text file"),
        ("indicator;waarde;eenheid;datum;bron\nÉén;1;x;01-01-2025;GGD\n".encode("cp1252"), "UTF-8"),
    ],
)
def test_files_that_are_not_such_a_table_are_refused_as_a_whole(journey, content, says):
    parsed = parse_csv(journey, content)
    assert not parsed.is_valid and parsed.rows == []
    assert says in parsed.file_errors[0]


def test_too_many_rows_or_too_many_bytes_are_refused_before_any_row_is_read(journey):
    rows = "".join(f"A;{n};x;01-01-2025;GGD\n" for n in range(indicator_import.MAX_ROWS + 1))
    too_many = parse_csv(journey, f"{HEADER}\n{rows}".encode())
    assert "2,001 rows" in too_many.file_errors[0] and "at most 2,000" in too_many.file_errors[0]

    too_large = parse_csv(journey, b"x" * (indicator_import.MAX_BYTES + 1))
    assert "larger than 1 MB" in too_large.file_errors[0]


def test_values_that_are_no_numbers_are_row_errors_with_the_row_number(journey):
    content = (
        f"{HEADER}\n"
        "A;twaalf;x;01-01-2025;GGD\n"
        "B;1.234;x;01-01-2025;GGD\n"
        "C;0,125;x;01-01-2025;GGD\n"
        "D;;x;01-01-2025;GGD\n"
        "E;12,5%;x;01-01-2025;GGD\n"
        "F;-3,5;x;01-01-2025;GGD\n"
    )
    parsed = parse_csv(journey, content.encode())

    errors = _errors(parsed)
    assert set(errors) == {2, 3, 4, 5, 6}
    assert "“twaalf” is not a number" in errors[2][0]
    assert "can be read two ways" in errors[3][0] and "1234" in errors[3][0]
    assert "at most two decimals" in errors[4][0]
    assert errors[5] == ["Give a value."]
    assert "is not a number" in errors[6][0]
    assert parsed.rows[-1].value == Decimal("-3.5")


def test_bad_and_future_dates_are_row_errors(journey):
    tomorrow = timezone.localdate() + timedelta(days=1)
    content = (
        f"{HEADER}\n"
        "A;1;x;31-02-2025;GGD\n"
        "A;1;x;maart 2025;GGD\n"
        f"A;1;x;{tomorrow:%d-%m-%Y};GGD\n"
        "A;1;x;01-01-0025;GGD\n"
        "A;1;x;;GGD\n"
        f"A;1;x;{timezone.localdate():%Y-%m-%d};GGD\n"
    )
    errors = _errors(parse_csv(journey, content.encode()))

    assert set(errors) == {2, 3, 4, 5, 6}
    assert "is not a day in the calendar" in errors[2][0]
    assert "dd-mm-yyyy or yyyy-mm-dd" in errors[3][0]
    assert "lies in the future" in errors[4][0]
    assert "Check the year" in errors[5][0]
    assert errors[6] == ["Give the date of the measurement."]


def test_a_unit_that_differs_from_the_journeys_figures_is_refused(journey, rosa):
    _point(journey, rosa, unit="personen")
    content = (
        f"{HEADER}\n"
        "Eenzame ouderen;12;%;01-01-2025;GGD\n"
        "eenzame  ouderen;13;Personen;01-02-2025;GGD\n"
    )
    parsed = parse_csv(journey, content.encode())

    errors = _errors(parsed)
    assert list(errors) == [2]
    assert errors[2] == [
        "Unit differs: this journey already records “Eenzame ouderen” in “personen”, "
        "this row says “%”."
    ]
    # Another spelling of the same indicator and unit joins the existing series.
    assert (parsed.rows[1].indicator, parsed.rows[1].unit) == ("Eenzame ouderen", "personen")


def test_a_unit_that_differs_from_an_earlier_row_of_the_file_is_refused(journey):
    content = (
        f"{HEADER}\n"
        "Bezoeken;10;bezoeken;01-01-2025;Registratie\n"
        "Bezoeken;12;;01-02-2025;Registratie\n"
        "Bezoeken;14;bezoekers;01-03-2025;Registratie\n"
    )
    errors = _errors(parse_csv(journey, content.encode()))

    assert errors == {
        3: ["Unit differs: row 2 gives “Bezoeken” in “bezoeken”, this row says no unit."],
        4: ["Unit differs: row 2 gives “Bezoeken” in “bezoeken”, this row says “bezoekers”."],
    }


def test_a_second_figure_for_the_same_indicator_and_date_is_refused(journey, rosa):
    _point(journey, rosa, day=date(2024, 1, 1))
    content = (
        f"{HEADER}\n"
        "Eenzame ouderen;12;personen;01-01-2024;GGD\n"
        "Bezoeken;1;x;01-01-2025;GGD\n"
        "Bezoeken;2;x;2025-01-01;GGD\n"
    )
    errors = _errors(parse_csv(journey, content.encode()))

    assert "already has a figure for “Eenzame ouderen” on 1 January 2024" in errors[2][0]
    assert errors[4] == ["Row 3 already gives “Bezoeken” on this date."]


def test_the_lens_may_be_given_by_key_or_label_and_defaults_to_data(journey):
    content = (
        f"{HEADER};lens\n"
        "A;1;x;01-01-2025;GGD;\n"
        "B;1;x;01-01-2025;GGD;Lokale praktijk\n"
        "C;1;x;01-01-2025;GGD;lokaal_netwerk\n"
        "D;1;x;01-01-2025;GGD;Scientific knowledge\n"
        "E;1;x;01-01-2025;GGD;wettelijke grondslag\n"
        "F;1;x;01-01-2025;GGD;de krant\n"
    )
    parsed = parse_csv(journey, content.encode())

    assert [row.lens for row in parsed.rows[:5]] == [
        "data",
        "lokale_praktijk",
        "lokaal_netwerk",
        "kennis_wetenschap",
        "wettelijke_grondslag",
    ]
    assert list(_errors(parsed)) == [7]
    assert "“de krant” is not one of the foto's lenses" in _errors(parsed)[7][0]


def test_a_decimal_comma_without_quotes_in_a_comma_file_gets_a_hint(journey):
    parsed = parse_csv(journey, b"indicator,waarde,eenheid,datum,bron\nA,12,5,x,01-01-2025,GGD\n")
    assert 'put a number with a decimal comma in quotes: "12,5"' in " ".join(parsed.rows[0].errors)


def test_missing_indicator_and_source_are_named(journey):
    errors = _errors(parse_csv(journey, f"{HEADER}\n;1;x;01-01-2025;\n".encode()))
    assert errors == {2: ["Name the indicator.", "Name the source."]}


# --- Writing -----------------------------------------------------------------------------


def test_importing_writes_every_row_and_records_it_in_the_activity(journey, rosa):
    parsed = parse_csv(journey, GOOD.encode())

    points = import_data_points(rosa, journey, parsed.rows, cycle=1)

    assert len(points) == 3
    assert DataPoint.objects.filter(journey=journey, cycle=1, added_by=rosa).count() == 3
    entry = AuditEntry.objects.filter(action="journey.data_imported").get()
    assert entry.data["count"] == 3
    assert entry.data["indicators"] == ["Bezoeken buurthuis", "Eenzame ouderen"]


def test_nothing_is_written_when_one_row_is_wrong(journey, rosa):
    content = GOOD + "Eenzame ouderen;80;%;01-11-2026;GGD\n"
    parsed = parse_csv(journey, content.encode())

    with pytest.raises(RuleViolation, match="Row 5 has an error; nothing was imported"):
        import_data_points(rosa, journey, parsed.rows, cycle=1)
    assert not DataPoint.objects.exists()
    assert not AuditEntry.objects.filter(action="journey.data_imported").exists()


def test_rows_are_checked_again_against_the_journey_when_written(journey, rosa, personas):
    parsed = parse_csv(journey, GOOD.encode())
    assert parsed.is_valid
    # Between preview and confirm someone enters the indicator in another unit.
    _point(journey, personas["professional"], unit="procent", day=date(2020, 1, 1))

    with pytest.raises(RuleViolation, match="Rows 2, 3 have errors"):
        import_data_points(rosa, journey, parsed.rows, cycle=1)
    assert DataPoint.objects.count() == 1


def test_rows_changed_after_checking_are_not_trusted(journey, rosa):
    parsed = parse_csv(journey, GOOD.encode())
    row = parsed.rows[0]
    row.raw["datum"] = "01-01-2999"
    row.measured_on = date(2999, 1, 1)  # what the tampered cell would mean

    with pytest.raises(RuleViolation):
        import_data_points(rosa, journey, parsed.rows, cycle=1)
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize("who", ["inwoner", "onderzoeker"])
def test_a_meelezer_or_a_non_member_cannot_import(journey, personas, who):
    parsed = parse_csv(journey, GOOD.encode())
    with pytest.raises(PermissionDenied):
        import_data_points(personas[who], journey, parsed.rows, cycle=1)
    assert not DataPoint.objects.exists()


def test_an_import_goes_to_an_existing_cycle_only(journey, rosa):
    parsed = parse_csv(journey, GOOD.encode())
    with pytest.raises(RuleViolation):
        import_data_points(rosa, journey, parsed.rows, cycle=journey.cycle + 1)
    assert not DataPoint.objects.exists()


# --- The pages ---------------------------------------------------------------------------


def _url(name, journey):
    return reverse(f"journeys:{name}", kwargs={"slug": journey.slug})


def _upload(content: str | bytes, name="cijfers.csv", cycle=1):
    data = content.encode() if isinstance(content, str) else content
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "cycle": cycle}


def test_upload_shows_a_preview_and_only_confirming_writes(client, journey, rosa):
    client.force_login(rosa)
    assert client.get(_url("indicators_import", journey)).status_code == 200

    preview = client.post(_url("indicators_import", journey), _upload(GOOD))

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Eenzame ouderen" in page and "1.234,5" in page and 'id="rij-4"' in page
    assert _url("indicators_import_confirm", journey) in page
    assert not DataPoint.objects.exists()

    token = preview.context["token"]
    done = client.post(_url("indicators_import_confirm", journey), {"token": token})

    assert done.status_code == 302 and done["Location"] == _url("indicators", journey)
    assert DataPoint.objects.filter(journey=journey).count() == 3
    followed = client.get(done["Location"])
    assert "3 cijfers zijn geïmporteerd." in followed.content.decode()

    # Confirming the same preview again writes nothing more.
    again = client.post(_url("indicators_import_confirm", journey), {"token": token})
    assert again.status_code == 302 and again["Location"] == _url("indicators_import", journey)
    assert DataPoint.objects.count() == 3


def test_a_preview_with_errors_lists_every_row_and_offers_no_confirmation(client, journey, rosa):
    _point(journey, rosa, unit="personen")
    client.force_login(rosa)
    content = GOOD.replace("120;personen", "120;%").replace("01-03-2025", "31-02-2025")

    response = client.post(_url("indicators_import", journey), _upload(content))

    assert response.status_code == 400
    page = response.content.decode()
    assert _url("indicators_import_confirm", journey) not in page
    assert "Eenheid wijkt af" in page and "bestaat niet in de kalender" in page
    assert 'href="#rij-2"' in page and 'href="#rij-3"' not in page  # row 3 has no error
    for number in (2, 3, 4):
        assert f'id="rij-{number}"' in page
    assert DataPoint.objects.count() == 1
    assert f"indicator-import:{journey.pk}" not in client.session


def test_a_file_with_wrong_columns_is_sent_back_with_the_expected_columns(client, journey, rosa):
    client.force_login(rosa)
    response = client.post(_url("indicators_import", journey), _upload("naam;getal\nA;1\n"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "indicator;waarde;eenheid;datum;bron" in page and 'aria-invalid="true"' in page
    assert not DataPoint.objects.exists()


def test_a_file_over_one_megabyte_is_refused_without_reading_it(client, journey, rosa):
    client.force_login(rosa)
    big = HEADER + "\n" + "A;1;x;01-01-2025;GGD\n" * 60_000
    response = client.post(_url("indicators_import", journey), _upload(big))
    assert response.status_code == 400
    assert "groter dan 1 MB" in response.content.decode()
    assert not DataPoint.objects.exists()


def test_a_forged_or_stale_token_imports_nothing(client, journey, rosa):
    client.force_login(rosa)
    client.post(_url("indicators_import", journey), _upload(GOOD))

    response = client.post(_url("indicators_import_confirm", journey), {"token": "verzonnen"})

    assert response.status_code == 302
    assert not DataPoint.objects.exists()


def test_confirming_after_the_journey_changed_shows_the_new_errors(client, journey, rosa):
    client.force_login(rosa)
    preview = client.post(_url("indicators_import", journey), _upload(GOOD))
    _point(journey, rosa, unit="%", day=date(2020, 1, 1))

    response = client.post(
        _url("indicators_import_confirm", journey), {"token": preview.context["token"]}
    )

    assert response.status_code == 400
    assert "Eenheid wijkt af" in response.content.decode()
    assert DataPoint.objects.count() == 1


def test_the_import_goes_to_the_chosen_cycle(client, journey, rosa):
    Journey.objects.filter(pk=journey.pk).update(cycle=2)
    client.force_login(rosa)
    preview = client.post(_url("indicators_import", journey), _upload(GOOD, cycle=1))
    client.post(_url("indicators_import_confirm", journey), {"token": preview.context["token"]})
    assert set(DataPoint.objects.values_list("cycle", flat=True)) == {1}


@pytest.mark.parametrize("who", ["inwoner", "onderzoeker"])
def test_meelezers_and_non_members_see_the_data_but_cannot_import(client, journey, personas, who):
    _point(journey, personas["reisbegeleider"])
    client.force_login(personas[who])

    page = client.get(_url("indicators", journey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Eenzame ouderen" in html
    assert _url("indicators_import", journey) not in html
    assert _url("indicators_add", journey) not in html

    assert client.get(_url("indicators_import", journey)).status_code == 403
    assert client.post(_url("indicators_import", journey), _upload(GOOD)).status_code == 403
    assert (
        client.post(_url("indicators_import_confirm", journey), {"token": "x"}).status_code == 403
    )
    assert DataPoint.objects.count() == 1


def test_a_closed_journeys_data_does_not_exist_for_outsiders(client, make_journey, personas):
    journey = make_journey("Besloten reis", visibility=Journey.Visibility.BESLOTEN)
    client.force_login(personas["onderzoeker"])
    assert client.get(_url("indicators", journey)).status_code == 404
    assert client.get(_url("indicators_import", journey)).status_code == 404
    client.logout()
    assert client.get(_url("indicators", journey)).status_code == 404


def test_signing_in_is_asked_before_importing(client, make_journey):
    journey = make_journey("Open reis", visibility=Journey.Visibility.OPENBAAR)
    assert client.get(_url("indicators", journey)).status_code == 200
    response = client.get(_url("indicators_import", journey))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_example_file_passes_its_own_checks(client, journey, rosa):
    client.force_login(rosa)
    response = client.get(_url("indicators_example", journey))
    assert response["Content-Type"].startswith("text/csv")
    parsed = parse_csv(journey, response.content)
    assert parsed.is_valid, _errors(parsed)


# --- The data page -----------------------------------------------------------------------


def test_a_figure_entered_by_hand_joins_its_series(client, journey, rosa):
    _point(journey, rosa)
    client.force_login(rosa)

    response = client.post(
        _url("indicators_add", journey),
        {
            "lens": "data",
            "indicator": "eenzame ouderen",
            "value": "90",
            "unit": "personen",
            "source": "GGD",
            "measured_on": "2025-01-01",
        },
    )

    assert response.status_code == 302 and "#data-indicator-eenzame-ouderen" in response["Location"]
    assert sorted(DataPoint.objects.values_list("indicator", flat=True)) == ["Eenzame ouderen"] * 2


def test_a_figure_by_hand_in_another_unit_is_refused_and_the_form_kept(client, journey, rosa):
    _point(journey, rosa)
    client.force_login(rosa)

    response = client.post(
        _url("indicators_add", journey),
        {
            "lens": "data",
            "indicator": "Eenzame ouderen",
            "value": "12",
            "unit": "%",
            "source": "GGD",
            "measured_on": "2025-01-01",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Eenheid wijkt af" in page and 'value="12"' in page
    assert DataPoint.objects.count() == 1


def test_a_meelezer_cannot_add_a_figure_by_hand(client, journey, personas):
    client.force_login(personas["inwoner"])
    response = client.post(
        _url("indicators_add", journey),
        {
            "lens": "data",
            "indicator": "A",
            "value": "1",
            "source": "B",
            "measured_on": "2025-01-01",
        },
    )
    assert response.status_code == 403
    assert not DataPoint.objects.exists()


def _make_series(journey, actor, count):
    for n in range(count):
        for month in (1, 6):
            DataPoint.objects.create(
                journey=journey,
                lens="data",
                indicator=f"Indicator {n:02d}",
                value=Decimal(n * 10 + month),
                unit="personen",
                source="GGD",
                measured_on=date(2025, month, 1),
                added_by=actor,
            )


def test_the_data_page_takes_the_same_queries_for_3_and_30_series(
    client, make_journey, rosa, django_assert_max_num_queries
):
    few, many = make_journey("Weinig"), make_journey("Veel")
    _make_series(few, rosa, 3)
    _make_series(many, rosa, 30)
    client.force_login(rosa)
    client.get(_url("indicators", few))  # warm the session and content types

    with CaptureQueriesContext(connection) as three:
        small = client.get(_url("indicators", few))
    with django_assert_max_num_queries(len(three)), CaptureQueriesContext(connection) as thirty:
        large = client.get(_url("indicators", many))

    assert len(three) == len(thirty) <= 8
    assert small.content.decode().count("<svg") == 3
    assert large.content.decode().count("<svg") == 30
    assert large.content.decode().count("<table") == 30


def test_the_data_page_shows_each_series_as_a_chart_with_a_table(client, journey, rosa):
    _make_series(journey, rosa, 2)
    client.force_login(rosa)

    page = client.get(_url("indicators", journey)).content.decode()

    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert '<th scope="col"' in page and '<th scope="row"' in page
    assert "van 1 personen (januari 2025) naar 6 personen (juni 2025)" in page.lower()
    assert _url("indicators_import", journey) in page

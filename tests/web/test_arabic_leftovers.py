"""English that used to reach Arabic pages, said in the page's language: why an uploaded file was not stored,
a Telegram export's missing media, refusals of the account, token, vocabulary, settings, evidence and capture
forms (chosen by the problem's kind, never the service's English line), and the working copies' settings.

Each page is rendered by the real app in Arabic and in English. In Arabic the expected sentence is there, the
English line is not, and the whole page passes the same check as the site walk (``test_arabic_everywhere``):
what was typed and the file's own words are data, a machine's own detail is marked as English.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from html import unescape

import pytest
from _client import form_token, make_user, signed_in
from _intake_helpers import CHAT, allowing_loopback, export_json, page_server, photo
from _media_helpers import add_copy, add_image, picture
from fastapi.testclient import TestClient
from test_arabic_everywhere import problems_in

from tawthiq.domain import vocab
from tawthiq.domain.errors import IngestError, ProblemLine
from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import Settings
from tawthiq.store import repository
from tawthiq.store.queries import clear_cache
from tawthiq.web.problems import problem_html, problem_text

LANGS = ("ar", "en")


@pytest.fixture
def ws(settings: Settings) -> Iterator[Workspace]:
    """A workspace with one user per role (and loopback captures allowed, for the page server)."""
    clear_cache()
    workspace = init_workspace(allowing_loopback(settings))
    for name, role in (("doc", "documenter"), ("rev", "reviewer"), ("boss", "admin")):
        make_user(workspace, name, role)
    try:
        yield workspace
    finally:
        workspace.db.dispose()  # type: ignore[attr-defined]
        clear_cache()


def _client(ws: Workspace, name: str, lang: str) -> tuple[TestClient, str]:
    client = signed_in(ws, name, lang=lang)
    return client, form_token(client.get("/").text)


def _text(html: str) -> str:
    """The page's text as read: tags dropped (data isolated in <bdi> reads on with its sentence)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _said(page: str, lang: str, expected: dict[str, str], english: str) -> None:
    """``expected[lang]`` is on the page; the English line is not on the Arabic one, which is Arabic throughout."""
    text = _text(page)
    assert expected[lang] in text, text[-3000:]
    if lang == "ar":
        assert english not in text
        assert expected["en"] not in text
        assert problems_in(page, "ar") == []


# ------------------------------------------------------------------------------------------------ 1. upload


DOCX = b"PK\x03\x04" + bytes(range(256)) * 8  # a word-processor file: a zip, not text
UNSUPPORTED = {"ar": "لا يمكن قراءة الملفات من نوع .docx", "en": "Files of type .docx cannot be read"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_upload_of_a_type_that_cannot_be_read_is_said_in_the_page_language(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "doc", lang)
    done = client.post("/add/upload", data={"csrf_token": token}, files=[
        ("files", ("تقرير الرقة.docx", DOCX, "application/octet-stream")),
        ("files", ("binary", b"\x00\x01\x02 not text \x00" * 40, "application/octet-stream"))])
    assert done.status_code == 400
    _said(done.text, lang, UNSUPPORTED, "unsupported file type")
    _said(done.text, lang, {"ar": "الملف ليس نصاً", "en": "The file is not text"}, "binary data, not text")
    assert 'dir="auto" data-user>.docx</bdi>' in done.text  # the suffix is the file's, shown as data
    assert repository.count_sources(ws.db) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_upload_form_refuses_no_file_in_the_page_language(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "doc", lang)
    refused = client.post("/add/upload", data={"csrf_token": token})
    assert refused.status_code == 400
    _said(refused.text, lang, {"ar": "اختر ملفاً واحداً أو أكثر لرفعه.", "en": "Choose one or more files to upload."},
          "choose one or more files to upload")


def test_the_cli_keeps_its_english_line_and_the_kind_travels_with_it() -> None:
    error = IngestError("unsupported file type .docx: binary data", kind="ingest.unsupported_type", suffix=".docx")
    line = ProblemLine.of(error)
    assert line == "unsupported file type .docx: binary data" and line.kind == "ingest.unsupported_type"
    assert problem_text("ar", line).startswith("لا يمكن قراءة الملفات من نوع .docx")
    # A size is said with its unit in the reader's language; a reason with no kind is the machine's English.
    big = ProblemLine("x", kind="ingest.too_large", size_bytes=3 * 1024 * 1024, limit_bytes=1024 * 1024)
    assert "3 ميغابايت" in problem_text("ar", big) and "1 ميغابايت" in problem_text("ar", big)
    skipped = ProblemLine("skipped 1 of 3: row 2: no text", kind="ingest.skipped", n=1, total=3,
                          detail="row 2: no text")
    assert '<span class="detail" lang="en" dir="ltr">row 2: no text</span>' in str(problem_html("ar", skipped))


# ------------------------------------------------------------------------------------------------ 2. Telegram


def _export_with_a_photo_not_included() -> bytes:
    export = json.loads(export_json())
    export["messages"].append({"id": 7, "type": "message", "date": "2016-03-12T10:07:00",
                               "date_unixtime": "1457777420", "from": CHAT, "from_id": "channel1098765432",
                               "text": "قصف على السوق",
                               "photo": "(File not included. Change data exporting settings to download.)"})
    return json.dumps(export, ensure_ascii=False).encode()


@pytest.mark.parametrize("lang", LANGS)
def test_a_telegram_exports_missing_media_are_said_in_the_page_language(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "doc", lang)
    done = client.post("/add/telegram", data={"csrf_token": token},
                       files=[("export", ("result.json", _export_with_a_photo_not_included(), "application/json"))])
    assert done.status_code == 200, done.text
    missing = {"ar": "الرسالة 5 (المحادثة شبكة أخبار حلب): المرفق photos/photo_5@12-03-2016_10-05-00.jpg (صورة) "
                     "غير موجود في التصدير.",
               "en": "Message 5 (chat شبكة أخبار حلب): its photo photos/photo_5@12-03-2016_10-05-00.jpg is missing "
                     "from the export."}
    _said(done.text, lang, missing, "is missing from the export")
    _said(done.text, lang, {"ar": "تعذّر حفظ بعض رسائل التصدير", "en": "Some messages of the export could not be"},
          "skipped 1 of")
    not_included = {"ar": "الرسالة 7 (المحادثة شبكة أخبار حلب): لم يُضمَّن المرفق (صورة) في التصدير",
                    "en": "Message 7 (chat شبكة أخبار حلب): its photo was not included in the export"}
    _said(done.text, lang, not_included, "photo not included in the export")


@pytest.mark.parametrize("lang", LANGS)
def test_a_refused_media_path_in_an_export_says_why_in_the_page_language(ws: Workspace, lang: str) -> None:
    export = json.loads(export_json())
    export["messages"][4]["photo"] = "../../etc/passwd"  # climbs out of the export
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ChatExport/result.json", json.dumps(export, ensure_ascii=False))
        archive.writestr("ChatExport/photos/other.jpg", photo())
    client, token = _client(ws, "doc", lang)
    done = client.post("/add/telegram", data={"csrf_token": token},
                       files=[("export", ("ChatExport.zip", out.getvalue(), "application/zip"))])
    assert done.status_code == 200, done.text
    refused = {"ar": "لم يُقرأ المرفق ../../etc/passwd (صورة). مساره يقود إلى خارج التصدير",
               "en": "its photo ../../etc/passwd was not read. Its path leads outside the export"}
    _said(done.text, lang, refused, "climbs out of the export folder")


# ------------------------------------------------------------------------------------------------ 3. working copies


def _params(page: str) -> tuple[list[str], list[str]]:
    """The setting names shown in the working copies' tables, and their values (settings inside settings are
    named in the value: "Encoder options: …")."""
    tables = re.findall(r'<dl class="params" data-testid="copy-params">(.*?)</dl>', page, re.DOTALL)
    names = [_text(name).strip() for table in tables for name in re.findall(r"<dt>(.*?)</dt>", table, re.DOTALL)]
    values = [_text(value).strip() for table in tables for value in re.findall(r"<dd>(.*?)</dd>", table, re.DOTALL)]
    return names, values


RAW = re.compile(r"[a-z]+[ _][a-z]+")  # a key shown as it is stored ("muxer options", "pix_fmt")


@pytest.mark.parametrize("lang", LANGS)
def test_the_working_copies_settings_are_named_in_the_page_language(ws: Workspace, lang: str) -> None:
    from _media import photo as scene
    from _media import video

    from tawthiq.ingest.media.transcode import video_profile
    from tawthiq.services import accounts
    from tawthiq.services.ingest import ingest_upload

    if video_profile() is None:
        pytest.skip("this FFmpeg build has no encoder for a playable copy, whose settings are named here")
    user = accounts.get_user(ws, actor=None, username="rev")
    clip = ingest_upload(ws, user=user, filename="clip.mp4", data=video([scene(i, (160, 120)) for i in range(12)]))
    image = ingest_upload(ws, user=user, filename="market.png", data=picture(size=(120, 80), fmt="PNG"))
    client, token = _client(ws, "rev", lang)
    redacted = client.post(f"/sources/{image.source_ids[0]}/redact", data={
        "csrf_token": token, "regions": "0.1,0.1,0.3,0.3", "reason": "a face"}, follow_redirects=False)
    assert redacted.status_code == 303, redacted.text
    names: list[str] = []
    values: list[str] = []
    for source_id in (clip.source_ids[0], image.source_ids[0]):
        page = client.get(f"/sources/{source_id}")
        assert page.status_code == 200
        found = _params(page.text)
        names, values = names + found[0], values + found[1]
    assert len(names) > 20, names  # thumbnails, keyframes, the playable copy and the redacted copy
    inner = " ".join(values)
    if lang == "ar":
        latin = [name for name in names if problems_in(f'<html lang="ar"><p>{name}</p></html>', "ar")]
        assert latin == []
        assert {"الفيديو", "الحدود", "المناطق المخفية", "طُليت بـ"} <= set(names)
        assert "خيارات المرمِّز:" in inner and "الإطارات في الثانية:" in inner and "أسود معتم" in inner
        assert not re.search(r"\b(?:rotation applied|pix fmt|frame rate|max seconds|muxer options)\b", inner)
    else:
        assert {"Video", "Limits", "Areas hidden", "Painted with"} <= set(names)
        assert "Encoder options:" in inner and "Frames per second:" in inner and "opaque black" in inner
        assert not [name for name in names if RAW.fullmatch(name)]


def test_a_value_the_tool_wrote_in_words_is_said_too() -> None:
    from tawthiq.web.plain_words import params_words

    said = dict(params_words("ar", {"fill": "opaque black", "format": "JPEG", "keyframe": "nearest before the middle"}))
    assert said == {"طُليت بـ": "أسود معتم", "الصيغة": "JPEG", "اللقطة المأخوذة": "أقرب إطار مفتاحي قبل المنتصف"}


# ------------------------------------------------------------------------------------------------ 4. refusals by kind


@pytest.mark.parametrize("lang", LANGS)
def test_the_admins_user_form_refusals_are_said_by_kind(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "boss", lang)
    cases = [
        ({"username": "two words", "role": "viewer"}, {"ar": "اسم المستخدم من 2 إلى 64 حرفاً",
                                                      "en": "A user name is 2 to 64 letters"}, "a user name is"),
        ({"username": "doc", "role": "viewer"}, {"ar": "يوجد مستخدم باسم «doc» من قبل.",
                                                "en": "A user named “doc” exists already."}, "exists already"),
        ({"username": "newone", "role": "wizard"}, {"ar": "لا يوجد دور باسم «wizard»",
                                                   "en": "There is no role “wizard”"}, "unknown role"),
    ]
    for data, expected, english in cases:
        refused = client.post("/admin/users", data={"csrf_token": token, **data})
        assert refused.status_code == 400
        _said(refused.text, lang, expected, english)
    demoted = client.post("/admin/users/boss/role", data={"csrf_token": token, "role": "viewer"})
    _said(demoted.text, lang, {"ar": "لا يمكن للمشرف أن ينزع دور الإشراف عن نفسه.",
                               "en": "An admin cannot take away their own admin role."}, "cannot take away")
    disabled = client.post("/admin/users/boss/disable", data={"csrf_token": token})
    _said(disabled.text, lang, {"ar": "لا يمكنك تعطيل حسابك أنت.", "en": "You cannot disable your own account."},
          "you cannot disable")


@pytest.mark.parametrize("lang", LANGS)
def test_the_password_and_token_refusals_are_said_by_kind(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "doc", lang)
    short = client.post("/password", data={"csrf_token": token, "current": "x", "new": "short", "repeat": "short"})
    _said(short.text, lang, {"ar": "تحتاج كلمة المرور إلى 10 أحرف على الأقل.",
                             "en": "A password needs at least 10 characters."}, "a password needs")
    wrong = client.post("/password", data={"csrf_token": token, "current": "not the password",
                                           "new": "a long new password", "repeat": "a long new password"})
    _said(wrong.text, lang, {"ar": "كلمة المرور الحالية غير صحيحة.", "en": "The current password is wrong."},
          "the current password is wrong")
    unnamed = client.post("/account/tokens", data={"csrf_token": token, "name": "  "})
    _said(unnamed.text, lang, {"ar": "أعطِ الرمز اسماً", "en": "Give the token a name"}, "give the token a name")
    long_lived = client.post("/account/tokens", data={"csrf_token": token, "name": "nightly", "days": "999"})
    assert long_lived.status_code == 400
    _said(long_lived.text, lang, {"ar": "تتراوح مدة صلاحية الرمز بين يوم واحد و365 يوماً.",
                                  "en": "A token lasts from 1 to 365 days."}, "a token lasts")


@pytest.mark.parametrize("lang", LANGS)
def test_a_built_in_actor_refusal_and_the_settings_refusal_are_in_the_page_language(ws: Workspace,
                                                                                   lang: str) -> None:
    client, token = _client(ws, "boss", lang)
    builtin = min(vocab.builtin_actors())
    edited = client.post(f"/admin/actors/{builtin}/edit", data={"csrf_token": token, "label_en": "X",
                                                                  "label_ar": "س", "kind": "state"})
    assert edited.status_code == 400
    _said(edited.text, lang, {"ar": "هذه الجهة مدمجة في البرنامج ولا يمكن تعديلها من هنا.",
                              "en": "A built-in actor is part of the release and cannot be edited here."},
          "a built-in actor is part of the release")
    retired = client.post(f"/admin/actors/{builtin}/retire", data={"csrf_token": token, "comment": "why"})
    _said(retired.text, lang, {"ar": "ولا يمكن إيقافها من هنا.", "en": "cannot be retired here."},
          "a built-in actor is part of the release")
    setting = client.post("/admin/settings", data={"csrf_token": token, "second_review_on": "on", "comment": " "})
    _said(setting.text, lang, {"ar": "اذكر سبب تغيير قاعدة الفريق.", "en": "Say why the team's rule changes."},
          "say why the team's rule changes")


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_refusals_are_said_by_kind(ws: Workspace, lang: str) -> None:
    whole = picture(size=(200, 120))
    source_id, sha = add_image(ws, whole[: len(whole) // 2], name="cut.jpg")  # the header is whole, the data cut
    add_copy(ws, source_id=source_id, original_sha256=sha, data=picture(size=(60, 40), fmt="PNG"),
             media_type="image/png")  # a thumbnail to draw on: the redaction form is offered
    client, token = _client(ws, "rev", lang)
    attach = client.post(f"/sources/{source_id}/attach", data={"csrf_token": token, "incident_id": "424242",
                                                               "reason": "the photo"})
    assert attach.status_code == 400
    _said(attach.text, lang, {"ar": "لا توجد حادثة رقم 424242 يمكنك رؤيتها.",
                              "en": "There is no incident #424242 that you can see."}, "no incident with id")
    redact = client.post(f"/sources/{source_id}/redact", data={"csrf_token": token, "regions": "0,0,0.5,0.5",
                                                               "reason": "a face"})
    assert redact.status_code == 400
    _said(redact.text, lang, {"ar": "تعذّرت قراءة ملف JPEG image: فهو تالف أو ناقص",
                              "en": "The JPEG image file cannot be read: it is damaged, cut off"}, "not a readable JPEG")


@pytest.mark.parametrize("lang", LANGS)
def test_a_capture_refusal_keeps_its_detail_marked_as_the_machines_english(settings: Settings, lang: str) -> None:
    clear_cache()
    workspace = init_workspace(settings)  # a deployment's settings: loopback is never captured
    make_user(workspace, "doc", "documenter")
    try:
        client, token = _client(workspace, "doc", lang)
        with page_server() as base:
            refused = client.post("/add/capture", data={"csrf_token": token, "url": f"{base}/report"})
        assert refused.status_code == 400
        _said(refused.text, lang, {"ar": "هذا العنوان خاص أو محلي", "en": "That address is private or local"},
              "nothing was captured")
        detail = re.search(r'<span lang="en" dir="ltr" data-testid="capture-error-detail">([^<]+)</span>',
                           refused.text)
        assert detail and "127.0.0.1" in detail.group(1)  # the detail is kept, as English
    finally:
        workspace.db.dispose()  # type: ignore[attr-defined]
        clear_cache()


@pytest.mark.parametrize("lang", LANGS)
def test_a_saved_search_with_a_filter_that_cannot_be_read_is_refused_by_kind(ws: Workspace, lang: str) -> None:
    client, token = _client(ws, "doc", lang)
    refused = client.post("/searches", data={"csrf_token": token, "name": "mine", "query": "status=zzz"})
    assert refused.status_code == 400
    _said(refused.text, lang, {"ar": "لا يوجد في خانة «الحالة» خيار باسم «zzz».",
                               "en": "“Status” has no choice “zzz”."}, "unknown status")

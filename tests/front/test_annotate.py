"""`gilint annotate`: a copy of a Word draft with every finding as a comment on
the cell or paragraph it is about; the draft itself is never written."""

from __future__ import annotations

import hashlib
import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from front_helpers import (
    CLEAN_DOCX,
    RIGHT_VALUE,
    WRONG_CELL,
    WRONG_ROW,
    WRONG_TABLE,
    body_content,
    comments_of,
    convert,
    wrong_cell_docx,
)

from gilint.cli import main
from gilint.model import Diagnostic, Location, ParagraphAnchor, Severity, TableAnchor
from gilint.pipeline import Linter, Options
from gilint.read.load import load_bytes
from gilint.render.docx_comments import annotate_docx
from gilint.serve.tasks import annotate_bytes

WRONG_ROW_PLACE = ("cell", WRONG_TABLE, WRONG_ROW)


def _in_wrong_cell(comment) -> bool:
    """In table 2, row 27, in the w:tc that holds the changed value."""
    return comment.where[:3] == WRONG_ROW_PLACE and comment.anchor_text == "35"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_clean_example_annotates_to_a_copy_without_comments(tmp_path):
    draft = tmp_path / "clean.docx"
    shutil.copy(CLEAN_DOCX, draft)
    before = _digest(draft)
    code, output = _run("annotate", str(draft))
    copy = tmp_path / "clean.gilint.docx"
    assert code == 0
    assert comments_of(copy.read_bytes()) == []
    assert copy.read_bytes() == draft.read_bytes()  # nothing to say: the very same bytes
    assert _digest(draft) == before
    assert "0 条批注" in output


def test_one_wrong_cell_gets_its_comments_in_that_cell_with_the_expected_value(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    before = _digest(draft)
    code, output = _run("annotate", str(draft), "-o", str(tmp_path / "out.docx"))
    assert code == 1  # errors found, as `gilint check` says
    assert "3 条批注" in output
    assert _digest(draft) == before
    comments = comments_of((tmp_path / "out.docx").read_bytes())
    # table 三's 总计 column, 自然人 column and （七）总计 row all fail on this one cell
    assert sorted(comment.text.split()[0] for comment in comments) == ["GI201", "GI202", "GI204"]
    for comment in comments:
        assert _in_wrong_cell(comment)
        assert comment.author == "gilint"
        assert "（七）总计 × 自然人" in comment.text
        assert "报告值 35" in comment.text
        assert comment.text.rstrip().endswith(f"应为 {RIGHT_VALUE}")
        assert "[错误]" in comment.text


def test_comments_in_english(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    _run("annotate", str(draft), "--lang", "en")
    comments = comments_of((tmp_path / "draft.gilint.docx").read_bytes())
    assert comments and all(c.text.rstrip().endswith(f"should be {RIGHT_VALUE}") for c in comments)


def test_original_text_and_tables_are_unchanged(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    data = draft.read_bytes()
    annotated = annotate_bytes(draft.name, data, Options()).docx
    assert annotated is not None and annotated != data
    assert body_content(annotated) == body_content(data)
    # and gilint reads the same text, cells and positions from the copy
    original, copy = load_bytes("a.docx", data), load_bytes("a.docx", annotated)
    assert copy.blocks == original.blocks


def test_paragraph_findings_sit_on_their_paragraph(tmp_path):
    import docx

    document = docx.Document(str(CLEAN_DOCX))
    paragraph = document.paragraphs[7]  # 段落 8: 全年共收到政府信息公开申请48件……
    for run in paragraph.runs:
        run.text = run.text.replace("申请48件", "申请49件")
    draft = tmp_path / "prose.docx"
    document.save(str(draft))
    annotation = annotate_bytes(draft.name, draft.read_bytes(), Options())
    # GI207 (49 against the table's 48) and GI208 (the paragraph's own 49 + 3 ≠ 47 + 4)
    found = {d.code: d for r in annotation.results for d in r.diagnostics}
    assert sorted(found) == ["GI207", "GI208"]
    assert {d.location.anchor for d in found.values()} == {ParagraphAnchor(8)}
    comments = comments_of(annotation.docx)
    assert [comment.where for comment in comments] == [("paragraph", 8)] * 2
    gi207 = next(comment for comment in comments if comment.text.startswith("GI207"))
    assert "49" in gi207.text and "48" in gi207.text


def test_blank_template_gets_its_gi206_comments_in_its_tables(corpus_dir, tmp_path):
    template = corpus_dir / "template-2021-blank.docx"
    before = _digest(template)
    target = tmp_path / "template.gilint.docx"
    code, _ = _run("annotate", str(template), "-o", str(target))
    assert code == 1
    assert _digest(template) == before
    comments = comments_of(target.read_bytes())
    blank = [comment for comment in comments if comment.text.startswith("GI206")]
    # 表二, 表三 and 表四 are left empty: one grouped finding each, on a cell of its own table
    assert sorted(comment.where[1] for comment in blank) == [1, 2, 3]
    assert all(comment.where[0] == "cell" for comment in blank)
    assert all("为空" in comment.text for comment in blank)
    # the title is missing: that report-wide finding goes on the first paragraph with text
    (title,) = [comment for comment in comments if comment.text.startswith("GI107")]
    assert title.where == ("paragraph", 2)


def test_findings_without_a_place_in_the_body_go_on_the_title():
    data = CLEAN_DOCX.read_bytes()
    results = Linter().check_bytes("x.docx", data)
    nowhere = Diagnostic("GI999", "test", Severity.INFO, {"zh": "全文"}, None, "x.docx")
    beyond = replace(
        nowhere,
        location=Location(1, 1, 1, 2, "Word 文件中第 99 个表格", "docx_table_cell", TableAnchor(99, 0, 0)),
    )
    results[0].diagnostics = [nowhere, beyond]
    comments = comments_of(annotate_docx(data, results))
    assert [comment.where for comment in comments] == [("paragraph", 1), ("paragraph", 1)]
    assert comments[0].anchor_text.startswith("青禾市生态环境局2024年")


# ------------------------------------------------------------ refusals


def test_never_writes_the_input_even_with_force(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    before = _digest(draft)
    code, _ = _run("annotate", str(draft), "-o", str(draft), "--force")
    assert code == 2
    assert _digest(draft) == before


def test_refuses_to_overwrite_without_force(tmp_path, capsys):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    existing = tmp_path / "draft.gilint.docx"
    existing.write_bytes(b"keep me")
    code, _ = _run("annotate", str(draft))
    assert code == 2
    assert existing.read_bytes() == b"keep me"
    assert "--force" in capsys.readouterr().err
    code, _ = _run("annotate", str(draft), "--force")
    assert code == 1 and len(comments_of(existing.read_bytes())) == 3


def test_other_formats_get_one_line_pointing_to_the_html_report(examples_dir, capsys):
    code, output = _run("annotate", str(examples_dir / "clean-2021.md"))
    error = capsys.readouterr().err
    assert code == 2 and output == ""
    assert error.count("\n") == 1 and "--output-format html" in error


@pytest.mark.parametrize("name", ["zip-bomb.docx", "truncated.docx", "entity-bomb.docx"])
def test_unreadable_drafts_give_gi001_and_no_copy(name, repo_dir, tmp_path):
    draft = tmp_path / name
    shutil.copy(repo_dir / "tests" / "fixtures" / "readers" / "hostile" / name, draft)
    code, output = _run("annotate", str(draft))
    assert code == 1
    assert "GI001" in output
    assert not (tmp_path / (draft.stem + ".gilint.docx")).exists()


def test_missing_draft_is_one_line_and_exit_2(tmp_path, capsys):
    code, _ = _run("annotate", str(tmp_path / "nope.docx"))
    assert code == 2
    assert capsys.readouterr().err.count("\n") == 1


# ------------------------------------------------------------ LibreOffice


def test_libreoffice_opens_the_copy_and_keeps_every_comment(tmp_path):
    draft = wrong_cell_docx(tmp_path / "draft.docx")
    annotated = tmp_path / "annotated.docx"
    annotated.write_bytes(annotate_bytes(draft.name, draft.read_bytes(), Options()).docx)
    expected = comments_of(annotated.read_bytes())
    pdf = convert(annotated, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    # LibreOffice read the comments as comments: saved again as .docx they are all there
    resaved_dir = tmp_path / "resaved"
    resaved_dir.mkdir()
    resaved = convert(annotated, "docx:MS Word 2007 XML", resaved_dir)
    again = comments_of(resaved.read_bytes())
    assert sorted(c.text.replace("\n", "") for c in again) == sorted(
        c.text.replace("\n", "") for c in expected
    )
    assert again and all(_in_wrong_cell(comment) for comment in again)
    assert body_content(resaved.read_bytes())[1][WRONG_TABLE - 1][WRONG_ROW][WRONG_CELL] == "35"

"""Reading the notebooks to run, and writing their executed copies (and HTML) under the output folder."""

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent.parent


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def default_notebooks():
    """notebooks/*.ipynb in name order."""
    return sorted((REPO / "notebooks").glob("*.ipynb"), key=lambda p: p.name)


def read_notebook(path: Path):
    return nbformat.read(str(path), as_version=4)


def write_outputs(path: Path, nb, out: Path, html: bool) -> dict:
    """Writes OUT/notebooks/<name>.ipynb (and with html, OUT/html/<name>.html); never over the source."""
    written = {}
    out_dir = out.resolve() / "notebooks"
    target = out_dir / path.name
    if target == path.resolve():
        written["written"] = "(not written: the output path is the source notebook)"
        return written
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(target))
    written["written"] = display_path(target)
    if html:
        from nbconvert import HTMLExporter

        html_dir = out.resolve() / "html"
        html_dir.mkdir(parents=True, exist_ok=True)
        # Images that markdown links by relative path (../assets/…) are embedded, so the page
        # stands alone wherever out/html/ is opened.
        exporter = HTMLExporter(embed_images=True)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"path": str(path.parent.resolve())}})
        html_target = html_dir / (path.stem + ".html")
        html_target.write_text(body, encoding="utf-8")
        written["html"] = display_path(html_target)
    return written

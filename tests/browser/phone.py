"""What the phone-first tests measure in the browser: the page's width against the screen's, and how each list
(templates/django_tables2/bootstrap5-responsive.html) is laid out."""

from django.urls import resolve

from fuyang_portal.views.generic import ObjectListView
from tests.security.test_access_matrix import PAGES, page_routes
from tests.security.world import ROLES

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]

# One evaluation per page: the document's width, and for each list its table, header and first rows' cells.
LAYOUT = """() => {
  const box = el => el.getBoundingClientRect();
  const lists = [...document.querySelectorAll('.table-cards > table')].map(table => {
    const rows = [...table.tBodies].flatMap(body => [...body.rows]).filter(row => row.querySelector('td[data-label]'));
    return {
      display: getComputedStyle(table).display,
      theadVisible: table.tHead !== null && box(table.tHead).width > 1 && box(table.tHead).height > 1,
      rows: rows.slice(0, 5).map(row => ({
        width: box(row).width,
        cells: [...row.cells].map(td => ({
          label: td.dataset.label, display: getComputedStyle(td).display, empty: td.innerHTML.trim() === '',
          before: getComputedStyle(td, '::before').content, right: box(td).right,
        })),
      })),
    };
  });
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, lists};
}"""

# The cells of one row of a list, by the href of a link in it: [(header or data-label, text), ...] and its links.
ROW = """href => {
  const row = [...document.querySelectorAll('.table-cards > table > tbody > tr')].find(r => r.querySelector(`a[href="${href}"]`));
  const headers = [...row.closest('table').tHead.rows[0].cells].map(th => th.innerText.trim());
  return {
    headers,
    cells: [...row.cells].map((td, i) => ({label: td.dataset.label, text: td.innerText.trim(), visible: td.getBoundingClientRect().height > 0})),
    links: [...row.querySelectorAll('a')].map(a => a.getAttribute('href')),
  };
}"""


def list_pages():
    """Route name -> path of every list page (an ObjectListView) of the access matrix."""
    routes = page_routes()
    found = {}
    for name in PAGES:
        route = routes[name]
        if "<" in route:
            continue
        view = getattr(resolve("/" + route).func, "view_class", None)
        if view is not None and issubclass(view, ObjectListView):
            found[name] = "/" + route
    return found


def allowed(name, role):
    return PAGES[name]["in"][ROLES.index(role)] == 200


def open_page(person, path):
    """Open a page without the axe pass of ``Journey.go`` (test_every_page_accessible runs axe on every page)."""
    response = person.page.goto(person.base_url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    return person.page.evaluate(LAYOUT)


def phone_problems(layout):
    """What is wrong with a page on a phone: wider than the screen, or a list that is not cards."""
    problems = []
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(f"{layout['scrollWidth']} px wide on a {layout['innerWidth']} px screen")
    for table in layout["lists"]:
        if table["theadVisible"]:
            problems.append("the table's header row is visible")
        for row in table["rows"]:
            if row["width"] < layout["innerWidth"] * 0.8:
                problems.append(f"a card only {row['width']:.0f} px wide")
            for index, cell in enumerate(row["cells"]):
                if cell["empty"]:
                    continue  # an empty line is left out of the card
                if cell["display"] not in ("block", "flex"):
                    problems.append(f"cell {cell['label']!r} displays as {cell['display']}")
                # The first cell is the card's title; every other line is labelled with its column's header.
                expected = "none" if index == 0 else '"' + cell["label"].replace("\\", "\\\\").replace('"', '\\"') + '"'
                if cell["before"] != expected:
                    problems.append(f"cell {cell['label']!r} is labelled {cell['before']}, not {expected}")
                if cell["right"] > layout["innerWidth"]:
                    problems.append(f"cell {cell['label']!r} ends at {cell['right']:.0f} px, off the screen")
    return problems


def desk_problems(layout):
    problems = []
    for table in layout["lists"]:
        if table["display"] != "table" or not table["theadVisible"]:
            problems.append(f"the list displays as {table['display']} (header visible: {table['theadVisible']})")
        for row in table["rows"]:
            problems += [f"cell {cell['label']!r} displays as {cell['display']}" for cell in row["cells"] if cell["display"] != "table-cell"]
    return problems

"""Cell sources the kernel benchmark sends (role: workload text only; no timing, no I/O).

Every generator takes a suffix `k` that makes the cell's names unique, so each run is a new
cell for the kernel (no cache of an identical text helps) and kernels that refuse to re-declare
a name still accept it. TypeScript cells avoid anything a particular kernel lacks (no preloaded
library, no imports), so gradlab, tslab and Deno run the same text; `python` variants exist only
where ipykernel serves as a reference row.

Example:
    >>> nine_line_cell(3).count("\\n") + 1
    9
    >>> records_cell(3).count("\\n") + 1
    101
"""


def _fill(template: str, k: int) -> str:
    return template.replace("$K", str(k)).strip("\n")


FIRST_CHECKED_TS = "const firstCell: number[] = [1, 2, 3];\nfirstCell.map((v: number) => v * 2).length"
TYPE_ERROR_TS = 'const notANumber: number = "text";'
BUSY_LOOP = {"typescript": "while (true) {}", "python": "while True:\n    pass"}
PENDING_AWAIT = {"typescript": "await new Promise(() => {});", "python": "import asyncio\nawait asyncio.Event().wait()"}
SURVIVOR_DEFINE = {"typescript": "const survivor = 41 + 1;", "python": "survivor = 41 + 1"}
SURVIVOR_READ = {"typescript": "survivor", "python": "survivor"}

NINE_LINE_TS = """
interface Point$K { x: number; y: number }
function dist$K(a: Point$K, b: Point$K): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
const pts$K: Point$K[] = [];
for (let i = 0; i < 20; i++) pts$K.push({ x: i, y: i * i });
let len$K = 0;
for (let i = 1; i < pts$K.length; i++) len$K += dist$K(pts$K[i - 1]!, pts$K[i]!);
len$K
"""

HUNDRED_ONE_LINE_TS = """
interface Item$K {
  sku: string;
  price: number;
  quantity: number;
  tags: string[];
}

interface Order$K {
  id: number;
  lines: Array<{ sku: string; count: number }>;
  express: boolean;
}

type Event$K =
  | { kind: "restock"; sku: string; count: number }
  | { kind: "order"; order: Order$K }
  | { kind: "discount"; tag: string; percent: number };

class Inventory$K {
  private readonly items = new Map<string, Item$K>();
  private revenue = 0;

  add(item: Item$K): void {
    this.items.set(item.sku, { ...item, tags: [...item.tags] });
  }

  apply(event: Event$K): boolean {
    switch (event.kind) {
      case "restock": {
        const item = this.items.get(event.sku);
        if (!item) return false;
        item.quantity += event.count;
        return true;
      }
      case "order":
        return this.fulfil(event.order);
      case "discount": {
        for (const item of this.items.values()) {
          if (item.tags.includes(event.tag)) item.price *= 1 - event.percent / 100;
        }
        return true;
      }
    }
  }

  private fulfil(order: Order$K): boolean {
    for (const line of order.lines) {
      const item = this.items.get(line.sku);
      if (!item || item.quantity < line.count) return false;
    }
    let total = order.express ? 5 : 0;
    for (const line of order.lines) {
      const item = this.items.get(line.sku)!;
      item.quantity -= line.count;
      total += item.price * line.count;
    }
    this.revenue += total;
    return true;
  }

  summary(): { revenue: number; stock: number } {
    let stock = 0;
    for (const item of this.items.values()) stock += item.quantity;
    return { revenue: Math.round(this.revenue * 100) / 100, stock };
  }
}

function groupBy$K<T, K extends string>(values: readonly T[], key: (value: T) => K): Record<K, T[]> {
  const groups = {} as Record<K, T[]>;
  for (const value of values) {
    const k = key(value);
    (groups[k] ??= []).push(value);
  }
  return groups;
}

const inventory$K = new Inventory$K();
const skus$K = ["pen", "pad", "ink", "cap", "box"];
skus$K.forEach((sku, i) => inventory$K.add({ sku, price: 1 + i * 0.75, quantity: 50, tags: i % 2 ? ["office"] : ["school"] }));

const events$K: Event$K[] = [];
for (let id = 0; id < 40; id++) {
  const lines = skus$K.filter((_, i) => (id + i) % 3 === 0).map((sku) => ({ sku, count: 1 + (id % 4) }));
  events$K.push({ kind: "order", order: { id, lines, express: id % 5 === 0 } });
  if (id % 10 === 9) events$K.push({ kind: "restock", sku: skus$K[id % skus$K.length]!, count: 20 });
}
events$K.push({ kind: "discount", tag: "office", percent: 10 });

let rejected$K = 0;
for (const event of events$K) {
  if (!inventory$K.apply(event)) rejected$K++;
}

const byKind$K = groupBy$K(events$K, (e) => e.kind);
const report$K = {
  ...inventory$K.summary(),
  rejected: rejected$K,
  orders: byKind$K.order?.length ?? 0,
  label: `inventory ${skus$K.join("/")}`,
};
report$K
"""

GROWTH_TS = """
interface Row$K { id: number; value: number }
const rows$K: Row$K[] = [{ id: $K, value: $K * 0.5 }, { id: $K + 1, value: 2 }];
const total$K = rows$K.reduce((sum, row) => sum + row.value, 0);
total$K
"""

GROWTH_PY = """
rows$K = [{"id": $K, "value": $K * 0.5}, {"id": $K + 1, "value": 2}]
total$K = sum(row["value"] for row in rows$K)
total$K
"""

# A number-only arithmetic loop: the operators rewrite must leave it untouched. The
# cell reports its own loop time so that run time and compile overhead can be told apart.
NUMBER_LOOP_TS = """
const coefficients$K: number[] = [1, -3, 0.5];
const started$K = performance.now();
let acc$K = 0;
for (let i = 0; i < 2_000_000; i++) {
  const x = i * 0.001;
  acc$K += coefficients$K[0]! * x * x + coefficients$K[1]! * x + (i % 7) * coefficients$K[2]!;
}
[acc$K, performance.now() - started$K]
"""

# Uses a tensor operator: runs only where the operators feature is on (a type error without it).
TENSOR_OPERATOR_TS = "const probe$K = tensor([1, 2]);\n(probe$K * 3).sum().item()"


def _records_cell() -> str:
    """20 interfaces, a function returning an array of each, a generic reduce into
    Record<string, T[]> and object/array spreads: 101 lines."""
    lines: list[str] = []
    for i in range(20):
        lines.append(f"interface Rec{i}_$K {{ id: number; group: string; score: number;")
        lines.append(f"  tags: string[]; meta: {{ source: string; rank{i}: number }} }}")
    for i in range(20):
        lines.append(f"function make{i}_$K(n: number): Rec{i}_$K[] {{ return (")
        lines.append(f'  Array.from({{ length: n }}, (_, k) => ({{ id: k, group: "g" + (k % 3), score: k * {i + 1}, tags: ["t{i}"], meta: {{ source: "s{i}", rank{i}: k }} }}))); }}')
    lines += [
        "function groupBy_$K<T extends { group: string }>(items: readonly T[]): Record<string, T[]> {",
        "  return items.reduce<Record<string, T[]>>((acc, item) => ({ ...acc, [item.group]: [...(acc[item.group] ?? []), item] }), {});",
        "}",
        'const all_$K = [...make0_$K(4), ...make1_$K(3), ...make2_$K(5)].map((r) => ({ ...r, tags: [...r.tags, "all"] }));',
        "const grouped_$K = groupBy_$K(all_$K);",
        "const sizes_$K = Object.fromEntries(Object.entries(grouped_$K).map(([g, rs]) => [g, rs.length]));",
        "const best_$K = Object.values(grouped_$K).map((rs) => rs.reduce((a, b) => (a.score >= b.score ? a : b)));",
        "const merged_$K = { ...sizes_$K, total: all_$K.length, top: best_$K.map((r) => r.id) };",
    ]
    lines += ["const counts_$K: number[] = ["] + [f"  make{i}_$K(2).length + make{i}_$K(1)[0]!.meta.rank{i}," for i in range(3, 13)] + ["];"]
    lines.append("[merged_$K, counts_$K.reduce((a, b) => a + b, 0)]")
    return "\n".join(lines)


RECORDS_TS = _records_cell()


def _arithmetic_cell() -> str:
    """A 45-line numeric function, ~400 operator operands: a cell the operators' first look asks much about."""
    body = ["  s += a * b + c * d - a / (b + 1) + (c % 7) * d - s * 0.5 + a * c - b * d;"] * 40
    return "\n".join(["function step$K(a: number, b: number, c: number, d: number): number {", "  let s = 0;", *body, "  return s;", "}", "step$K(1, 2, 3, 4)"])


ARITHMETIC_TS = _arithmetic_cell()


def trivial_cell(k: int) -> str:
    """`k + 1`: a new text every time, valid in TypeScript and Python alike."""
    return f"{k} + 1"


def records_cell(k: int) -> str:
    return _fill(RECORDS_TS, k)


def arithmetic_cell(k: int) -> str:
    return _fill(ARITHMETIC_TS, k)


def nine_line_cell(k: int) -> str:
    return _fill(NINE_LINE_TS, k)


def hundred_one_line_cell(k: int) -> str:
    return _fill(HUNDRED_ONE_LINE_TS, k)


def growth_cell(language: str, k: int) -> str:
    return _fill(GROWTH_PY if language == "python" else GROWTH_TS, k)


def number_loop_cell(k: int) -> str:
    return _fill(NUMBER_LOOP_TS, k)


def tensor_operator_cell(k: int) -> str:
    return _fill(TENSOR_OPERATOR_TS, k)

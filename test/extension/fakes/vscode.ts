/**
 * A test double of the `vscode` module, enough for the extension's code to run under vitest.
 * Wire it in a test with `vi.mock('vscode', () => import('./fakes/vscode'))` (path relative to the
 * test). `fake` exposes what the code did (registered commands, messages shown, tree views, status
 * bar items, clipboard, context keys, diagnostics, panels) and lets tests drive events.
 * `resetFake()` between tests.
 */

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => unknown = () => {}) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(text: string): Uri {
    const i = text.indexOf(':');
    return new Uri(text.slice(0, i), text.slice(i + 1).replace(/^\/\//, ''));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path.replace(/\/$/, ''), ...parts].join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    if (typeof a === 'number') {
      this.start = new Position(a, b as number);
      this.end = new Position(c!, d!);
    } else {
      this.start = a;
      this.end = b as Position;
    }
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

/** As recent VS Code has it: `mode` is the constructor's 6th argument (@types/vscode 1.90 lacks it). */
export class Breakpoint {
  readonly id = `bp-${++breakpointIds}`;
  readonly enabled: boolean;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  readonly mode?: string;
  constructor(enabled = true, condition?: string, hitCondition?: string, logMessage?: string, mode?: string) {
    this.enabled = enabled;
    if (condition !== undefined) this.condition = condition;
    if (hitCondition !== undefined) this.hitCondition = hitCondition;
    if (logMessage !== undefined) this.logMessage = logMessage;
    if (mode !== undefined) this.mode = mode;
  }
}
let breakpointIds = 0;

export class SourceBreakpoint extends Breakpoint {
  constructor(
    readonly location: Location,
    enabled?: boolean,
    condition?: string,
    hitCondition?: string,
    logMessage?: string,
    mode?: string,
  ) {
    super(enabled, condition, hitCondition, logMessage, mode);
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted: boolean | { enabledCommands: readonly string[] } | undefined;
  supportHtml = false;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  code?: string | number;
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
}

export enum DecorationRangeBehavior {
  OpenOpen = 0,
  ClosedClosed = 1,
}

export enum DebugConfigurationProviderTriggerKind {
  Initial = 1,
  Dynamic = 2,
}

export enum DebugConsoleMode {
  Separate = 0,
  MergeWithParent = 1,
}

export class DebugAdapterInlineImplementation {
  constructor(readonly implementation: unknown) {}
}

// ---------------------------------------------------------------- recorded state

export class FakeTreeView<T> {
  visible = true;
  message: string | undefined;
  description: string | undefined;
  badge: { value: number; tooltip: string } | undefined;
  selection: T[] = [];
  readonly revealed: { element: T; options: unknown }[] = [];
  readonly visibility = new EventEmitter<{ visible: boolean }>();
  readonly selectionChanged = new EventEmitter<{ selection: T[] }>();
  readonly onDidChangeVisibility = this.visibility.event;
  readonly onDidChangeSelection = this.selectionChanged.event;
  constructor(
    readonly id: string,
    readonly options: { treeDataProvider: unknown },
  ) {}
  async reveal(element: T, options: unknown): Promise<void> {
    this.revealed.push({ element, options });
    this.selection = [element];
    this.selectionChanged.fire({ selection: [element] });
  }
  dispose(): void {}
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  name: string | undefined;
  command: string | undefined;
  shown = false;
  constructor(
    readonly id: string,
    readonly alignment: StatusBarAlignment,
    readonly priority: number,
  ) {}
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  dispose(): void {}
}

export class FakeWebview {
  html = '';
  options: unknown;
  readonly cspSource = 'vscode-resource://fake-csp-source';
  readonly posted: unknown[] = [];
  readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`vscode-resource://${uri.path}`);
  }
  async postMessage(m: unknown): Promise<boolean> {
    this.posted.push(m);
    return true;
  }
}

export class FakeWebviewPanel {
  visible = true;
  readonly webview = new FakeWebview();
  readonly viewState = new EventEmitter<unknown>();
  readonly disposed = new EventEmitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;
  revealed = 0;
  constructor(
    readonly viewType: string,
    readonly title: string,
    readonly showOptions: unknown,
    readonly options: { retainContextWhenHidden?: boolean; enableScripts?: boolean; localResourceRoots?: Uri[] },
  ) {}
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    this.disposed.fire();
  }
}

export class FakeDiagnosticCollection {
  readonly entries = new Map<string, Diagnostic[]>();
  constructor(readonly name: string) {}
  set(uri: Uri, diagnostics: Diagnostic[]): void {
    this.entries.set(uri.fsPath, diagnostics);
  }
  clear(): void {
    this.entries.clear();
  }
  dispose(): void {}
}

interface FakeState {
  commands: Map<string, (...args: unknown[]) => unknown>;
  executed: { command: string; args: unknown[] }[];
  context: Map<string, unknown>;
  info: string[];
  errors: string[];
  statusMessages: string[];
  /** What the extension wrote to its log channel, as "[level] message". */
  logLines: string[];
  clipboard: string;
  treeViews: FakeTreeView<unknown>[];
  statusBarItems: FakeStatusBarItem[];
  panels: FakeWebviewPanel[];
  diagnostics: FakeDiagnosticCollection[];
  shownDocuments: { uri: Uri; options: unknown }[];
  configuration: Record<string, unknown>;
  inputBoxAnswer: string | undefined;
  quickPickAnswer: ((items: unknown[]) => unknown) | undefined;
  activeTextEditor: unknown;
  workspaceFolder: { uri: Uri } | undefined;
  visibleTextEditors: unknown[];
  activeDebugSession: unknown;
  debugEvents: {
    start: EventEmitter<unknown>;
    terminate: EventEmitter<unknown>;
    active: EventEmitter<unknown>;
    custom: EventEmitter<{ session: unknown; event: string; body: unknown }>;
    stackItem: EventEmitter<unknown>;
  };
  visibleEditors: EventEmitter<unknown[]>;
  started: { folder: unknown; config: unknown; options?: unknown }[];
  trackerFactories: { type: string; factory: unknown }[];
  textDocuments: { path: string; text: string }[];
  /** What debug.startDebugging answers (an Error is thrown). */
  startDebuggingResult: boolean | Error;
  /** vscode.debug.breakpoints: what debug.addBreakpoints added and removeBreakpoints did not remove. */
  breakpoints: Breakpoint[];
}

function freshState(): FakeState {
  return {
    commands: new Map(),
    executed: [],
    context: new Map(),
    info: [],
    errors: [],
    statusMessages: [],
    logLines: [],
    clipboard: '',
    treeViews: [],
    statusBarItems: [],
    panels: [],
    diagnostics: [],
    shownDocuments: [],
    configuration: {},
    inputBoxAnswer: undefined,
    quickPickAnswer: undefined,
    activeTextEditor: undefined,
    workspaceFolder: undefined,
    visibleTextEditors: [],
    activeDebugSession: undefined,
    debugEvents: { start: new EventEmitter(), terminate: new EventEmitter(), active: new EventEmitter(), custom: new EventEmitter(), stackItem: new EventEmitter() },
    visibleEditors: new EventEmitter(),
    started: [],
    startDebuggingResult: true,
    breakpoints: [],
    trackerFactories: [],
    textDocuments: [],
  };
}

export const fake: FakeState = freshState();

export function resetFake(): void {
  Object.assign(fake, freshState());
}

// ---------------------------------------------------------------- namespaces

export const commands = {
  registerCommand(id: string, fn: (...args: unknown[]) => unknown): Disposable {
    if (fake.commands.has(id)) throw new Error(`command '${id}' already registered`);
    fake.commands.set(id, fn);
    return new Disposable(() => fake.commands.delete(id));
  },
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    fake.executed.push({ command, args });
    if (command === 'setContext') {
      fake.context.set(args[0] as string, args[1]);
      return undefined;
    }
    return fake.commands.get(command)?.(...args);
  },
};

export const window = {
  createOutputChannel(name: string): Record<'trace' | 'debug' | 'info' | 'warn' | 'error', (m: string) => void> & { name: string; dispose(): void } {
    const line = (level: string) => (m: string) => void fake.logLines.push(`[${level}] ${m}`);
    return { name, trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), dispose() {} };
  },
  createTreeView<T>(id: string, options: { treeDataProvider: unknown }): FakeTreeView<T> {
    const v = new FakeTreeView<T>(id, options);
    fake.treeViews.push(v as FakeTreeView<unknown>);
    return v;
  },
  createStatusBarItem(id: string, alignment: StatusBarAlignment, priority: number): FakeStatusBarItem {
    const item = new FakeStatusBarItem(id, alignment, priority);
    fake.statusBarItems.push(item);
    return item;
  },
  createWebviewPanel(viewType: string, title: string, show: unknown, options: FakeWebviewPanel['options']): FakeWebviewPanel {
    const p = new FakeWebviewPanel(viewType, title, show, options);
    fake.panels.push(p);
    return p;
  },
  registerWebviewPanelSerializer(): Disposable {
    return new Disposable();
  },
  createTextEditorDecorationType(): { dispose(): void } {
    return { dispose() {} };
  },
  async showInformationMessage(m: string): Promise<undefined> {
    fake.info.push(m);
    return undefined;
  },
  async showErrorMessage(m: string): Promise<undefined> {
    fake.errors.push(m);
    return undefined;
  },
  async showWarningMessage(m: string): Promise<undefined> {
    fake.info.push(m);
    return undefined;
  },
  setStatusBarMessage(m: string): Disposable {
    fake.statusMessages.push(m);
    return new Disposable();
  },
  async showInputBox(): Promise<string | undefined> {
    return fake.inputBoxAnswer;
  },
  async showQuickPick(items: unknown[]): Promise<unknown> {
    return fake.quickPickAnswer?.(items);
  },
  async showTextDocument(uri: Uri, options: unknown): Promise<void> {
    fake.shownDocuments.push({ uri, options });
  },
  get activeTextEditor(): unknown {
    return fake.activeTextEditor;
  },
  get visibleTextEditors(): unknown[] {
    return fake.visibleTextEditors;
  },
  onDidChangeVisibleTextEditors: (l: Listener<unknown[]>) => fake.visibleEditors.event(l),
};

export const workspace = {
  getConfiguration(section?: string) {
    return {
      get<T>(key: string, fallback?: T): T | undefined {
        const full = section ? `${section}.${key}` : key;
        return full in fake.configuration ? (fake.configuration[full] as T) : fallback;
      },
    };
  },
  getWorkspaceFolder(): { uri: Uri } | undefined {
    return fake.workspaceFolder;
  },
  /** Open documents: what a test put in fake.textDocuments. */
  get textDocuments(): { uri: Uri; getText(): string }[] {
    return fake.textDocuments.map((d) => ({ uri: Uri.file(d.path), getText: () => d.text }));
  },
};

export const languages = {
  createDiagnosticCollection(name: string): FakeDiagnosticCollection {
    const c = new FakeDiagnosticCollection(name);
    fake.diagnostics.push(c);
    return c;
  },
};

export const env = {
  clipboard: {
    async writeText(text: string): Promise<void> {
      fake.clipboard = text;
    },
  },
};

export const debug = {
  onDidStartDebugSession: (l: Listener<unknown>) => fake.debugEvents.start.event(l),
  onDidTerminateDebugSession: (l: Listener<unknown>) => fake.debugEvents.terminate.event(l),
  onDidChangeActiveDebugSession: (l: Listener<unknown>) => fake.debugEvents.active.event(l),
  onDidReceiveDebugSessionCustomEvent: (l: Listener<{ session: unknown; event: string; body: unknown }>) => fake.debugEvents.custom.event(l),
  onDidChangeActiveStackItem: (l: Listener<unknown>) => fake.debugEvents.stackItem.event(l),
  get activeDebugSession(): unknown {
    return fake.activeDebugSession;
  },
  get breakpoints(): readonly Breakpoint[] {
    return fake.breakpoints;
  },
  addBreakpoints(bps: Breakpoint[]): void {
    fake.breakpoints.push(...bps);
  },
  removeBreakpoints(bps: Breakpoint[]): void {
    fake.breakpoints = fake.breakpoints.filter((b) => !bps.includes(b));
  },
  registerDebugAdapterDescriptorFactory(): Disposable {
    return new Disposable();
  },
  registerDebugConfigurationProvider(): Disposable {
    return new Disposable();
  },
  registerDebugAdapterTrackerFactory(type: string, factory: unknown): Disposable {
    fake.trackerFactories.push({ type, factory });
    return new Disposable();
  },
  async startDebugging(folder: unknown, config: unknown, options?: unknown): Promise<boolean> {
    fake.started.push({ folder, config, options });
    if (fake.startDebuggingResult instanceof Error) throw fake.startDebuggingResult;
    return fake.startDebuggingResult;
  },
};

// ---------------------------------------------------------------- helpers for tests

/** A fake debug session recording custom requests and answering them from `answers`. */
export class FakeDebugSession {
  readonly requests: { command: string; args: unknown }[] = [];
  constructor(
    readonly id: string,
    readonly type = 'loopscope',
    readonly answers: Record<string, unknown> = {},
    readonly parentSession?: FakeDebugSession,
  ) {}
  readonly name = 'fake session';
  /** The resolved launch configuration (a test sets the fields the code reads). */
  configuration: { type: string; request: string; name: string; [key: string]: unknown } = { type: 'loopscope', request: 'launch', name: 'fake session' };
  async customRequest(command: string, args: unknown): Promise<unknown> {
    this.requests.push({ command, args });
    const a = this.answers[command];
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? (a as (x: unknown) => unknown)(args) : (a ?? {});
  }
}

/** A visible text editor on a file, recording the decorations set on it. */
export class FakeTextEditor {
  decorations: { range: Range; hoverMessage?: MarkdownString; renderOptions?: { after?: { contentText?: string } } }[] = [];
  readonly document: { uri: Uri; lineCount: number; lineAt(line: number): { range: Range } };
  constructor(path: string, lineCount = 100) {
    this.document = {
      uri: Uri.file(path),
      lineCount,
      lineAt: (line: number) => ({ range: new Range(line, 0, line, 40) }),
    };
  }
  setDecorations(_type: unknown, options: FakeTextEditor['decorations']): void {
    this.decorations = options;
  }
}

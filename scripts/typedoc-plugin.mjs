// A TypeDoc plugin (typedoc.json "plugin") that documents tapegrad's API the way it is used:
// 1. ops built by a factory (`export const tanh = unaryPrimitive(...)`) are functions, not variables:
//    a callable `const` is converted as if its comment said `@function`;
// 2. type aliases written with `typeof` (`(typeof ACTIVATION_NAMES)[number]`, OpMethods over
//    `typeof api`) are documented by what they resolve to, as their values are not in the docs:
//    as an interface (`@interface`) when that is an object type, else each member of the written
//    union that uses `typeof` is replaced by its resolved type (a union of literals);
// 3. the op methods of Tensor and Variable (the mapped type OpMethods, which TypeDoc shows as
//    function-typed properties) become methods with the op's signature after its first parameter
//    and the op's description, linked to the op;
// 4. every page of the API reference gets the site's bar (guides, API, playground) at the top.
import ts from 'typescript';
import {
  Comment,
  Context,
  Converter,
  JSX,
  ParameterReflection,
  ReflectionFlag,
  ReflectionKind,
  SignatureReflection,
  UnionType,
} from 'typedoc';

/** The mixin type that gives Tensor and Variable one method per op (src/ops/methods.ts). */
const OP_METHODS = 'OpMethods';

/** True when the node's subtree has a `typeof x` type query. */
function mentionsTypeof(node) {
  if (ts.isTypeQueryNode(node)) return true;
  return ts.forEachChild(node, mentionsTypeof) ?? false;
}

/** The type alias declaration of a symbol when it is written with `typeof` and has no type parameters. */
function typeofAlias(symbol) {
  const declaration = symbol.getDeclarations()?.[0];
  const found = declaration && ts.isTypeAliasDeclaration(declaration) && !declaration.typeParameters;
  return found && mentionsTypeof(declaration.type) ? declaration : undefined;
}

/** True when the alias resolves to one object type (not a union of them, nor a primitive). */
function isObjectLike(checker, symbol) {
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  return !type.isUnion() && (Boolean(type.flags & ts.TypeFlags.Object) || type.isIntersection());
}

/** The modifier tag a symbol's comment should carry for points 1 and 2, or undefined. */
function impliedModifier(checker, symbol, kind) {
  const declaration = symbol.getDeclarations()?.[0];
  if (!declaration) return undefined;
  if (kind === ReflectionKind.Variable && ts.isVariableDeclaration(declaration)) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    const callable = type.getCallSignatures().length > 0 && type.getConstructSignatures().length === 0;
    return callable ? '@function' : undefined;
  }
  if (kind === ReflectionKind.TypeAlias && typeofAlias(symbol) && isObjectLike(checker, symbol)) return '@interface';
  return undefined;
}

/**
 * Points 1 and 2: TypeDoc decides how to convert a symbol from the modifier tags of its comment,
 * which it reads through Context#getComment; the wrapper adds the implied tag to what it returns
 * (a fresh copy each call, so the cached comment is untouched).
 */
function addImpliedModifiers() {
  const getComment = Context.prototype.getComment;
  if (getComment.tapegradWrapped) return;
  const wrapped = function (symbol, kind) {
    const comment = getComment.call(this, symbol, kind);
    const modifier = impliedModifier(this.checker, symbol, kind);
    if (!modifier) return comment;
    const result = comment ?? new Comment();
    result.modifierTags.add(modifier);
    return result;
  };
  wrapped.tapegradWrapped = true;
  Context.prototype.getComment = wrapped;
}

/**
 * Point 2 for unions: the types that replace the aliases' written ones when resolution begins (TypeDoc
 * sets the written type after it announces the alias, so it cannot be replaced then).
 */
const resolvedAliasTypes = new WeakMap();

/** Converts the union members of a `typeof` alias (not object-like), each `typeof` one by its resolved type. */
function resolveTypeofAlias(context, reflection) {
  if (!reflection.kindOf(ReflectionKind.TypeAlias)) return;
  const symbol = context.getSymbolFromReflection(reflection);
  const declaration = symbol && typeofAlias(symbol);
  if (!declaration || isObjectLike(context.checker, symbol)) return;
  const scope = context.withScope(reflection);
  const members = ts.isUnionTypeNode(declaration.type) ? declaration.type.types : [declaration.type];
  const types = members.flatMap((node) => {
    const type = mentionsTypeof(node)
      ? context.converter.convertType(scope, context.checker.getTypeFromTypeNode(node))
      : context.converter.convertType(scope, node);
    return type.type === 'union' ? type.types : [type];
  });
  resolvedAliasTypes.set(reflection, types.length === 1 ? types[0] : new UnionType(types));
}

/** Puts the resolved types of point 2 in place of the written ones. */
function useResolvedAliasTypes(context) {
  for (const reflection of context.project.getReflectionsByKind(ReflectionKind.TypeAlias)) {
    const type = resolvedAliasTypes.get(reflection);
    if (!type) continue;
    context.project.removeTypeReflections(reflection.type);
    reflection.type = type;
  }
}

/** Inline code and a link to the op: "Method form of tg.add: `a.add(b)` is `tg.add(a, b)`, …". */
function methodNote(op, signature) {
  const [self, ...rest] = (signature.parameters ?? []).map((p) => (p.flags.isRest ? `...${p.name}` : p.name));
  const receiver = self ?? 'x';
  return [
    { kind: 'text', text: 'Method form of ' },
    { kind: 'inline-tag', tag: '@link', text: `tg.${op.name}`, target: op },
    { kind: 'text', text: ': ' },
    { kind: 'code', text: `\`${receiver}.${op.name}(${rest.join(', ')})\`` },
    { kind: 'text', text: ' is ' },
    { kind: 'code', text: `\`tg.${op.name}(${[receiver, ...rest].join(', ')})\`` },
    { kind: 'text', text: ', with this tensor as its first argument.' },
  ];
}

/** One method signature of `method` from one signature of the op: its parameters after the first. */
function methodSignature(project, method, op, opSignature) {
  const signature = new SignatureReflection(method.name, ReflectionKind.CallSignature, method);
  project.registerReflection(signature, undefined, undefined);
  signature.type = opSignature.type;
  const summary = Comment.cloneDisplayParts(opSignature.comment?.summary ?? []);
  const gap = summary.length > 0 ? [{ kind: 'text', text: '\n\n' }] : [];
  signature.comment = new Comment([...summary, ...gap, ...methodNote(op, opSignature)]);
  signature.parameters = (opSignature.parameters ?? []).slice(1).map((p) => {
    const parameter = new ParameterReflection(p.name, ReflectionKind.Parameter, signature);
    project.registerReflection(parameter, undefined, undefined);
    parameter.type = p.type;
    parameter.defaultValue = p.defaultValue;
    parameter.comment = p.comment?.clone();
    parameter.setFlag(ReflectionFlag.Optional, p.flags.isOptional);
    parameter.setFlag(ReflectionFlag.Rest, p.flags.isRest);
    return parameter;
  });
  return signature;
}

/** True for OpMethods itself and the classes and interfaces that extend it. */
function hasOpMethods(owner) {
  if (!owner?.kindOf(ReflectionKind.ClassOrInterface)) return false;
  return (
    owner.name === OP_METHODS ||
    (owner.extendedTypes ?? []).some((t) => t.type === 'reference' && t.name === OP_METHODS)
  );
}

/** Point 3: each function-typed op property of OpMethods, Tensor and Variable becomes a method. */
function convertOpMethods(context) {
  const project = context.project;
  const ops = new Map(
    (project.children ?? []).filter((r) => r.kindOf(ReflectionKind.Function) && r.signatures).map((r) => [r.name, r]),
  );
  const owners = project.getReflectionsByKind(ReflectionKind.ClassOrInterface).filter(hasOpMethods);
  for (const owner of owners) {
    for (const member of owner.children ?? []) {
      const op = ops.get(member.name);
      if (!op || !member.kindOf(ReflectionKind.Property) || member.type?.type !== 'reflection') continue;
      project.removeTypeReflections(member.type);
      member.type = undefined;
      member.defaultValue = undefined;
      member.kind = ReflectionKind.Method;
      member.signatures = op.signatures.map((s) => methodSignature(project, member, op, s));
    }
  }
}

/** Point 4: the site's bar, linking the guides (one level up from api/) and the playground. */
function siteBar(context) {
  const link = (href, label) => JSX.createElement('a', { href: context.relativeURL(href) }, label);
  return JSX.createElement(
    'nav',
    { class: 'tg-bar', 'aria-label': 'Site' },
    JSX.createElement('a', { class: 'tg-bar-home', href: context.relativeURL('../index.html') }, 'tapegrad'),
    link('../index.html', 'Guides'),
    link('index.html', 'API'),
    link('../playground/index.html', 'Playground'),
  );
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  addImpliedModifiers();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, resolveTypeofAlias);
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, useResolvedAliasTypes);
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, convertOpMethods);
  app.renderer.hooks.on('body.begin', siteBar);
}

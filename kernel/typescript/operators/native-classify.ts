/**
 * classify.ts's operand classes, answered by TypeScript 7's native checker (a separate process
 * reached through the synchronous API, typescript@7.0.2 `unstable/sync`): the same rules, in the
 * same order, so a cell compiles to the same code on either checker.
 *
 * Every question the API cannot answer from a type's flags costs a round trip to the native
 * process, so types that flags settle (numbers, strings, booleans, `any`, ...) are classified
 * here, and each other type is asked about once per project (answers cached by type id, which is
 * stable within one project). The Tensor type is read from the prelude's witness declaration
 * (library-prelude.ts) in one query.
 *
 * Boundary: runs in the checker service (on the main thread); types only, no syntax.
 */
import { TypeFlags, type Project, type Type } from "typescript7/unstable/sync";
import { operatorMode, type OperandClass } from "./classify.js";

export { operatorMode, type OperandClass };

/** Where the library's Tensor type can be read: the type at a position of a virtual file. */
export interface TensorWitness {
  file: string;
  position: number;
}

/** Settled by flags alone: never a tensor, never assignable to number (strict null checks). */
const OTHER_PRIMITIVE =
  TypeFlags.StringLike | TypeFlags.BigIntLike | TypeFlags.BooleanLike | TypeFlags.ESSymbolLike | TypeFlags.Void | TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Unknown;

/** Settled by flags alone: assignable to number, never a tensor. */
const NUMBER = TypeFlags.Number | TypeFlags.NumberLiteral | TypeFlags.Never;

/** The result types of stdlib/operators.ts's `dynamic` helpers (see classify.ts). */
const RESULT_TYPES = new Set(["AddResult", "ArithmeticResult", "CompareResult", "NegateResult", "PlusResult"]);

export class NativeOperandTypes {
  private readonly classes = new Map<number, OperandClass>();
  private readonly tensorMembers = new Map<number, boolean>();
  private readonly numbers = new Map<number, boolean>();
  /** The checker's number type, asked for only when flags do not settle a question. */
  private number: Type | undefined;

  private constructor(
    readonly project: Project,
    readonly tensor: Type,
  ) {}

  /** The classifier of one project, or undefined when the library's Tensor type is not in scope. */
  static open(project: Project, witness: TensorWitness | undefined): NativeOperandTypes | undefined {
    if (!witness) return undefined;
    const tensor = project.checker.getTypeAtPosition(witness.file, witness.position);
    if (!tensor || tensor.flags & TypeFlags.Any || tensor.isErrorType()) return undefined;
    return new NativeOperandTypes(project, tensor);
  }

  /** classify.ts's classifyType. @example types.classify(typeOfW) // "tensor" */
  classify(type: Type): OperandClass {
    const known = this.classes.get(type.id);
    if (known) return known;
    const found = this.classifyOnce(type);
    this.classes.set(type.id, found);
    return found;
  }

  /** classify.ts's isTensorReceiver: `t[i]` on this type means `t.at(i)`. */
  isTensorReceiver(type: Type): boolean {
    return this.isTensorMember(type);
  }

  /** classify.ts's isTruthTensor: a Tensor tested for truth is read as `bool(t)` (never a union). */
  isTruthTensor(type: Type): boolean {
    return !(type.flags & TypeFlags.Union) && this.isTensorMember(type);
  }

  private classifyOnce(type: Type): OperandClass {
    if (type.flags & TypeFlags.Any) return "any";
    const deferred = this.classifyDeferredResult(type);
    if (deferred) return deferred;
    if (this.isNumber(type)) return "number";
    if (this.isTensorMember(type)) return "tensor";
    if (type.isUnionType()) {
      let tensors = 0;
      let others = 0;
      for (const member of type.getTypes() ?? []) {
        if (this.isTensorMember(member)) tensors++;
        else if (!this.isNumber(member)) others++;
      }
      if (tensors > 0) return others > 0 ? "mixed" : "tensor";
    }
    return "other";
  }

  /** A `dynamic` helper's result left unresolved by a generic operand: classified by its type arguments. */
  private classifyDeferredResult(type: Type): OperandClass | undefined {
    if (!(type.flags & TypeFlags.Conditional)) return undefined;
    const alias = type.getAliasSymbol();
    if (!alias || !RESULT_TYPES.has(alias.name)) return undefined;
    const classes = type.getAliasTypeArguments().map((arg) => this.classify(arg));
    if (classes.includes("tensor")) return "tensor";
    if (classes.includes("any")) return "any";
    return classes.every((c) => c === "number") ? "number" : "other";
  }

  private isNumber(type: Type): boolean {
    if (type.flags & NUMBER) return true;
    // An object type (a class instance, an array, a function, ...) is never assignable to a primitive.
    if (type.flags & (OTHER_PRIMITIVE | TypeFlags.Object)) return false;
    let answer = this.numbers.get(type.id);
    if (answer === undefined) {
      this.number ??= this.project.checker.getNumberType();
      answer = this.project.checker.isTypeAssignableTo(type, this.number);
      this.numbers.set(type.id, answer);
    }
    return answer;
  }

  private isTensorMember(type: Type): boolean {
    if (type.flags & (TypeFlags.Any | NUMBER | OTHER_PRIMITIVE)) return false;
    let answer = this.tensorMembers.get(type.id);
    if (answer === undefined) {
      answer = type.id === this.tensor.id || this.project.checker.isTypeAssignableTo(type, this.tensor);
      this.tensorMembers.set(type.id, answer);
    }
    return answer;
  }
}

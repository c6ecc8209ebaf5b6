/**
 * Type-checks another text in place of one file of an existing program, reusing everything
 * else (library files, the stdlib's declarations, earlier cells) through TypeScript's
 * old-program reuse. The operator rewrite uses it to learn the types a cell has once its tensor
 * operators are calls: `const a = (w + x) ** 2` gives `a` the type number to the checker of the
 * original text, and Tensor to the checker of the probe.
 */
import type * as TS from "typescript";

export interface Probe {
  program: TS.Program;
  checker: TS.TypeChecker;
  sourceFile: TS.SourceFile;
}

/**
 * A program equal to `program` except that `sourceFile` reads `text`.
 *
 * @example
 * const probe = checkWithText(ts, program, cell, "const a = __gradlabOps.dynamic.add(w, x);");
 * probe.checker.getTypeAtLocation(...); // types as if the cell were written that way
 */
export function checkWithText(ts: typeof TS, program: TS.Program, sourceFile: TS.SourceFile, text: string): Probe {
  const options = program.getCompilerOptions();
  const disk = ts.createCompilerHost(options, true);
  const own = (fileName: string): TS.SourceFile | undefined => program.getSourceFile(fileName);
  const host: TS.CompilerHost = {
    ...disk,
    getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate) {
      if (fileName === sourceFile.fileName) return ts.createSourceFile(fileName, text, languageVersionOrOptions, true, scriptKindOf(ts, sourceFile));
      return own(fileName) ?? disk.getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    },
    fileExists: (fileName) => own(fileName) !== undefined || disk.fileExists(fileName),
    readFile: (fileName) => own(fileName)?.text ?? disk.readFile(fileName),
    getCurrentDirectory: () => program.getCurrentDirectory(),
    writeFile: () => {},
  };
  const probeProgram = ts.createProgram({ rootNames: program.getRootFileNames(), options, host, oldProgram: program });
  const probeFile = probeProgram.getSourceFile(sourceFile.fileName)!;
  return { program: probeProgram, checker: probeProgram.getTypeChecker(), sourceFile: probeFile };
}

function scriptKindOf(ts: typeof TS, sourceFile: TS.SourceFile): TS.ScriptKind {
  const name = sourceFile.fileName;
  if (name.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (name.endsWith(".js") || name.endsWith(".mjs") || name.endsWith(".cjs")) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

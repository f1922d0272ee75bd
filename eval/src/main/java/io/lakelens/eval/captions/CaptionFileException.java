package io.lakelens.eval.captions;

import java.io.IOException;
import java.nio.file.Path;

/** A caption input file that cannot be used; the message names the file and what is wrong. */
public final class CaptionFileException extends IOException {

  private final Path file;

  public CaptionFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CaptionFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }
}

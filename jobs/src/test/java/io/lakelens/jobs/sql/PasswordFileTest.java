package io.lakelens.jobs.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakelens.jobs.LakelensException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    @TempDir
    Path tmp;

    @Test
    void acceptsOnlyTheUsersOwnPassword() throws IOException {
        PasswordFile f = PasswordFile.read(Files.writeString(tmp.resolve("p"), "# comment\n\nalice:a:b\nbob: x\n"));
        assertTrue(f.accepts("alice", "a:b"));
        assertTrue(f.accepts("bob", " x"), "the password is everything after the first colon");
        assertFalse(f.accepts("alice", "a"));
        assertFalse(f.accepts("alice", null));
        assertFalse(f.accepts("carol", "a:b"));
        assertFalse(f.accepts(null, "a:b"));
    }

    @Test
    void malformedOrEmptyFilesAreErrors() throws IOException {
        LakelensException e = assertThrows(LakelensException.class,
                () -> PasswordFile.read(Files.writeString(tmp.resolve("bad"), "alice:pw\njust-a-name\n")));
        assertTrue(e.getMessage().contains("line 2: expected USER:PASSWORD"), e.getMessage());
        assertThrows(LakelensException.class, () -> PasswordFile.read(Files.writeString(tmp.resolve("empty"), "# none\n")));
        assertThrows(LakelensException.class, () -> PasswordFile.read(tmp.resolve("missing")));
    }
}

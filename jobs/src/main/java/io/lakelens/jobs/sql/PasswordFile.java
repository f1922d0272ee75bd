package io.lakelens.jobs.sql;

import io.lakelens.jobs.LakelensException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of {@code lakelens sql-server --password-file}: one {@code USER:PASSWORD} a line,
 * blank lines and lines starting with {@code #} ignored. The password is everything after the first
 * colon. Keep the file readable by its owner only.
 */
public final class PasswordFile {

    private final Map<String, byte[]> passwords;

    private PasswordFile(Map<String, byte[]> passwords) {
        this.passwords = passwords;
    }

    /** Reads and checks the file; a file with no user is an error (it would lock everyone out). */
    public static PasswordFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LakelensException("password file " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        Map<String, byte[]> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new LakelensException("password file " + file + ", line " + (i + 1)
                        + ": expected USER:PASSWORD with neither empty");
            }
            users.put(line.substring(0, colon).strip(), line.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        if (users.isEmpty()) {
            throw new LakelensException("password file " + file + " has no USER:PASSWORD line");
        }
        return new PasswordFile(users);
    }

    /** Whether {@code user} exists and {@code password} is theirs (compared in constant time). */
    public boolean accepts(String user, String password) {
        byte[] expected = user == null ? null : passwords.get(user);
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        return expected != null && MessageDigest.isEqual(expected, given);
    }
}

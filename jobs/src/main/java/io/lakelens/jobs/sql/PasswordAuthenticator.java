package io.lakelens.jobs.sql;

import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

/**
 * Checks JDBC logins of {@code lakelens sql-server} against its password file
 * ({@code hive.server2.authentication=CUSTOM}).
 *
 * <p>The Thrift server instantiates this class by name for each login, from a fresh {@code
 * HiveConf} rather than the server's, so the users cannot travel in the configuration: the server
 * sets them here, once per JVM, before it starts ({@link #use}).
 */
public final class PasswordAuthenticator implements PasswdAuthenticationProvider {

    private static volatile PasswordFile users;

    /** The users every later login is checked against. */
    static void use(PasswordFile file) {
        users = file;
    }

    @Override
    public void Authenticate(String user, String password) throws AuthenticationException {
        PasswordFile current = users;
        if (current == null || !current.accepts(user, password)) {
            throw new AuthenticationException("lakelens sql-server: wrong user or password for '" + user + "'");
        }
    }
}

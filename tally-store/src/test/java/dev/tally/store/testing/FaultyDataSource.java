package dev.tally.store.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * A real pool with failures injected on demand, below the store: at the first statement of the next write
 * transaction (the batch is being written), or in place of the next commit. Each fault fires once. Every
 * other call goes to the real connection, so the database sees exactly what a real failure leaves behind.
 */
public final class FaultyDataSource {
    /** What to do instead of a call on the real connection; may call it, may throw. */
    @FunctionalInterface
    public interface Fault {
        void inject(Connection real) throws SQLException;
    }

    private final DataSource real;
    private final AtomicReference<Optional<Fault>> onWrite = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<Fault>> onCommit = new AtomicReference<>(Optional.empty());
    private volatile Optional<String> onBorrow = Optional.empty();
    private final DataSource proxy;

    public FaultyDataSource(DataSource real) {
        this.real = real;
        this.proxy = (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, this::onDataSource);
    }

    /** The data source to build the store on. */
    public DataSource dataSource() {
        return proxy;
    }

    /** Runs {@code fault} when the next write transaction sends its first statement, before it. */
    public void failNextWrite(Fault fault) {
        onWrite.set(Optional.of(fault));
    }

    /** Runs {@code fault} instead of the next commit. */
    public void failNextCommit(Fault fault) {
        onCommit.set(Optional.of(fault));
    }

    /** Runs {@code sql} on every connection as it is borrowed (a per-connection limit, for one). */
    public void onBorrow(String sql) {
        onBorrow = Optional.of(sql);
    }

    /** A fault for a commit: the connection closes under the driver, then the commit is sent on it. */
    public static Fault closeThenCommit() {
        return real -> {
            real.unwrap(Connection.class).close();
            real.commit();
        };
    }

    /**
     * A PostgreSQL fault: ends the writer's backend from another session (as the superuser {@code postgres}),
     * as an administrator or a failover would, then lets the statement go on to meet the closed connection.
     */
    public static Fault terminateTheBackend() {
        return writer -> {
            int pid;
            try (Statement st = writer.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            String url = writer.getMetaData().getURL();
            try (Connection other = java.sql.DriverManager.getConnection(url, "postgres", "");
                    Statement st = other.createStatement()) {
                st.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
        };
    }

    /** A fault that throws as a dropped connection does. */
    public static SQLException connectionLost(String where) {
        return new SQLException("injected: the connection was lost " + where, "08006");
    }

    private Object onDataSource(Object self, Method m, Object[] args) throws Throwable {
        if (m.getName().equals("getConnection")) {
            Connection c = (Connection) call(real, m, args);
            Optional<String> sql = onBorrow;
            if (sql.isPresent()) {
                try (Statement st = c.createStatement()) {
                    st.execute(sql.get());
                }
            }
            return wrap(c);
        }
        return call(real, m, args);
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (self, m, args) -> {
            String name = m.getName();
            // A wrapper unwraps to what it wraps (the pool's own connection, which the store evicts when broken).
            if (name.equals("isWrapperFor") && ((Class<?>) args[0]).isInstance(c)) {
                return true;
            }
            if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(c)) {
                return c;
            }
            if ((name.equals("prepareStatement") || name.equals("createStatement")) && !c.getAutoCommit()) {
                Optional<Fault> f = onWrite.getAndSet(Optional.empty());
                if (f.isPresent()) {
                    f.get().inject(c);
                }
            }
            if (name.equals("commit")) {
                Optional<Fault> f = onCommit.getAndSet(Optional.empty());
                if (f.isPresent()) {
                    f.get().inject(c);
                    return null;
                }
            }
            return call(c, m, args);
        };
        return (Connection)
                Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

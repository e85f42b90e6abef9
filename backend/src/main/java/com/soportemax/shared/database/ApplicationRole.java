package com.soportemax.shared.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The role the application connects as: it logs in with its own password and owns the application's database and
 * every object in it, and nothing more: not a superuser, cannot create roles or databases, holds none of the
 * predefined roles (so no {@code pg_read_file}, no {@code COPY ... PROGRAM}). Applied at every start, so a data
 * directory from an earlier version, where everything belonged to the superuser, is handed over.
 */
final class ApplicationRole {

    static final String NAME = "soportemax";

    private ApplicationRole() {
    }

    static void provision(DataSource superuserOnPostgres, DataSource superuserOnApplicationDatabase,
                          String database, DatabaseCredentials credentials) throws SQLException {
        try (Connection connection = superuserOnPostgres.getConnection(); Statement sql = connection.createStatement()) {
            boolean exists;
            try (var rows = sql.executeQuery("select 1 from pg_roles where rolname = '" + NAME + "'")) {
                exists = rows.next();
            }
            if (!exists) {
                sql.execute("create role " + NAME);
            }
            sql.execute("alter role " + NAME + " with login nosuperuser nocreatedb nocreaterole noreplication"
                    + " nobypassrls password '" + credentials.applicationPassword() + "'");
            List<String> memberships = new ArrayList<>();
            try (var rows = sql.executeQuery("select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid"
                    + " join pg_roles u on u.oid = m.member where u.rolname = '" + NAME + "'")) {
                while (rows.next()) {
                    memberships.add(rows.getString(1));
                }
            }
            for (String group : memberships) {
                sql.execute("revoke " + quoted(group) + " from " + NAME);
            }
            boolean databaseExists;
            try (var rows = sql.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                databaseExists = rows.next();
            }
            if (databaseExists) {
                sql.execute("alter database " + database + " owner to " + NAME);
            } else {
                sql.execute("create database " + database + " owner " + NAME + " encoding 'UTF8' template template0");
            }
            sql.execute("revoke all on database " + database + " from public");
            sql.execute("revoke all on database postgres from public");
        }
        try (Connection connection = superuserOnApplicationDatabase.getConnection();
             Statement sql = connection.createStatement()) {
            handOverObjects(sql);
        }
    }

    /**
     * Objects created by the superuser (earlier versions) pass to the application role. Tables first: altering a
     * table also moves the sequences its columns own, which cannot be moved on their own.
     */
    private static void handOverObjects(Statement sql) throws SQLException {
        String notOwned = " <> (select oid from pg_roles where rolname = '" + NAME + "')";
        String userSchemas = " not in (select oid from pg_namespace where nspname like 'pg\\_%' or nspname = 'information_schema')";
        String notExtension = " not in (select objid from pg_depend where deptype = 'e')";
        execute(sql, "select 'alter schema ' || quote_ident(nspname) || ' owner to " + NAME + "' from pg_namespace n"
                + " where n.nspowner" + notOwned + " and n.oid" + userSchemas + " and n.oid" + notExtension);
        execute(sql, "select 'alter table ' || c.oid::regclass || ' owner to " + NAME + "' from pg_class c"
                + " where c.relkind in ('r', 'p', 'v', 'm', 'f') and c.relowner" + notOwned
                + " and c.relnamespace" + userSchemas + " and c.oid" + notExtension);
        execute(sql, "select 'alter sequence ' || c.oid::regclass || ' owner to " + NAME + "' from pg_class c"
                + " where c.relkind = 'S' and c.relowner" + notOwned
                + " and c.relnamespace" + userSchemas + " and c.oid" + notExtension);
        execute(sql, "select 'alter routine ' || p.oid::regprocedure || ' owner to " + NAME + "' from pg_proc p"
                + " where p.proowner" + notOwned + " and p.pronamespace" + userSchemas + " and p.oid" + notExtension);
        execute(sql, "select 'alter type ' || t.oid::regtype || ' owner to " + NAME + "' from pg_type t"
                + " where t.typtype in ('d', 'e', 'r') and t.typrelid = 0 and t.typowner" + notOwned
                + " and t.typnamespace" + userSchemas + " and t.oid" + notExtension);
        execute(sql, "select 'alter text search configuration ' || c.oid::regconfig || ' owner to " + NAME + "'"
                + " from pg_ts_config c where c.cfgowner" + notOwned + " and c.cfgnamespace" + userSchemas
                + " and c.oid" + notExtension);
    }

    private static void execute(Statement sql, String generator) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (var rows = sql.executeQuery(generator)) {
            while (rows.next()) {
                statements.add(rows.getString(1));
            }
        }
        for (String statement : statements) {
            sql.execute(statement);
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}

-- Staff who sign in: administrators and support agents. Customers never have accounts.
create table users (
    id            uuid         primary key,
    email         varchar(320) not null,
    password_hash varchar(100) not null,
    role          varchar(16)  not null check (role in ('ADMIN', 'AGENT')),
    display_name  varchar(200) not null,
    enabled       boolean      not null default true,
    created_at    timestamptz  not null
);
create unique index users_email_unique on users (lower(email));

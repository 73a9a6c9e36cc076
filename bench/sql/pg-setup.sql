-- Data of the PostgreSQL benchmarks (database test). Idempotent; run by bench/run.
drop table if exists world;
create table world (id integer primary key, randomnumber integer not null);
insert into world select i, 1 + floor(random() * 10000)::int from generate_series(1, 10000) i;

drop table if exists fortune;
create table fortune (id integer primary key, message varchar(2048) not null);
\i :fortunes

drop table if exists bench_insert;
create table bench_insert (id integer, a integer, b text);
drop table if exists bench_copy;
create table bench_copy (id integer, a integer, b text);

-- 1,000,000 rows for the streaming read; rebuilt only when missing
create table if not exists bench_stream (id integer, a integer, b text);
do $$
begin
  if (select count(*) from bench_stream) <> 1000000 then
    truncate bench_stream;
    insert into bench_stream select i, (i::bigint * 7919 % 100000)::int, 'row-' || i from generate_series(0, 999999) i;
  end if;
end $$;
vacuum analyze world, fortune, bench_stream;

-- Data of the MariaDB/MySQL benchmarks (database test). Idempotent; run by bench/run.
set session max_recursive_iterations = 100000;
drop table if exists world;
create table world (id int primary key, randomnumber int not null) engine=InnoDB;
insert into world (id, randomnumber)
  with recursive seq(i) as (select 1 union all select i + 1 from seq where i < 10000)
  select i, 1 + floor(rand() * 10000) from seq;

drop table if exists fortune;
create table fortune (id int primary key, message varchar(2048) not null) engine=InnoDB default charset=utf8mb4;

-- Household registration (户籍) of an employee: some cities set a different employer rate
-- for employees without local hukou (Shenzhen's pension). Existing employees count as local.
ALTER TABLE employees ADD COLUMN hukou TEXT NOT NULL DEFAULT 'local' CHECK (hukou IN ('local', 'non_local'));

//! Roles and what each may do. The server enforces this matrix; the app only uses it to
//! decide what to show.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Employee,
    HrSpecialist,
    HrSupervisor,
    Finance,
    HrManager,
    Director,
    Admin,
}

/// Which employee records a role can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Only the record linked to the user.
    Own,
    /// Every record of the user's branch.
    Branch,
    /// Every branch of the group.
    Group,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Employee,
        Role::HrSpecialist,
        Role::HrSupervisor,
        Role::Finance,
        Role::HrManager,
        Role::Director,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::HrSpecialist => "hr_specialist",
            Role::HrSupervisor => "hr_supervisor",
            Role::Finance => "finance",
            Role::HrManager => "hr_manager",
            Role::Director => "director",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Employee => "员工",
            Role::HrSpecialist => "人事专员",
            Role::HrSupervisor => "人事主管",
            Role::Finance => "财务",
            Role::HrManager => "人力经理",
            Role::Director => "集团人力总监",
            Role::Admin => "系统管理员",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::Employee => "Employee",
            Role::HrSpecialist => "HR specialist",
            Role::HrSupervisor => "HR supervisor",
            Role::Finance => "Finance",
            Role::HrManager => "HR manager",
            Role::Director => "Group HR director",
            Role::Admin => "Administrator",
        }
    }

    pub fn employee_scope(self) -> Scope {
        match self {
            Role::Employee => Scope::Own,
            Role::HrSpecialist | Role::HrSupervisor => Scope::Branch,
            Role::Finance | Role::HrManager | Role::Director | Role::Admin => Scope::Group,
        }
    }

    /// May create employee records and change their master data.
    pub fn can_edit_employees(self) -> bool {
        matches!(self, Role::HrSpecialist | Role::HrManager | Role::Admin)
    }

    /// Employees get the phone layout; everyone else the console.
    pub fn uses_console(self) -> bool {
        self != Role::Employee
    }
}

/// Whether a user with `role` in `user_branch` (None: group level) may see a record of
/// `record_branch`, or the record `record_employee` when the role sees only its own.
pub fn may_see_employee(
    role: Role,
    user_branch: Option<&str>,
    user_employee: Option<&str>,
    record_branch: &str,
    record_employee: &str,
) -> bool {
    match role.employee_scope() {
        Scope::Own => user_employee == Some(record_employee),
        Scope::Branch => user_branch == Some(record_branch),
        Scope::Group => true,
    }
}

/// Whether the user may create or change records of `record_branch`.
pub fn may_edit_employee(role: Role, user_branch: Option<&str>, record_branch: &str) -> bool {
    role.can_edit_employees() && may_see_employee(role, user_branch, None, record_branch, "")
}

/// Whether the user may see the full resident ID of a record of `record_branch` (through the
/// audited reveal). The one place that decides it: the reveal itself, the birth date in
/// responses and the search by ID number follow it. Those who maintain the record's master
/// data need the number to correct it; supervisors, finance, the director and employees
/// work with the mask.
pub fn may_reveal_id(role: Role, user_branch: Option<&str>, record_branch: &str) -> bool {
    may_edit_employee(role, user_branch, record_branch)
}

/// Whether a response about a record may carry its birth date. The birth date is 8 of the
/// ID's 18 characters, so for anyone who may not reveal the ID it would unmask most of it;
/// they get the age. The employee's own record counts: the birth date is their own data, and
/// knowing it tells nobody anything about another person's ID.
pub fn may_see_birth_date(
    role: Role,
    user_branch: Option<&str>,
    user_employee: Option<&str>,
    record_branch: &str,
    record_employee: &str,
) -> bool {
    may_reveal_id(role, user_branch, record_branch) || user_employee == Some(record_employee)
}

/// Whether the employee list may be searched by ID-number prefix. Typed digit by digit, a
/// prefix search rebuilds any number in the list, so it is only for a role that may reveal
/// every record it can list (a test holds this to `may_reveal_id`); others search by name.
pub fn may_search_by_id(role: Role) -> bool {
    role.can_edit_employees()
}

/// What a search of the employee list looks for: the start of an ID number when the text
/// is one (digits, perhaps ending in X) and the role may search by it, else the start of a
/// name. One or the other, never both: each is then one range of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmployeeSearch {
    Name(String),
    IdNumber(String),
}

impl EmployeeSearch {
    /// The search for `q` by a user of `role`; none for a blank one.
    pub fn of(q: &str, role: Role) -> Option<EmployeeSearch> {
        let q = q.trim();
        let digits = q.strip_suffix(['X', 'x']).unwrap_or(q);
        if q.is_empty() {
            None
        } else if may_search_by_id(role) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            Some(EmployeeSearch::IdNumber(q.to_uppercase()))
        } else {
            Some(EmployeeSearch::Name(q.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_by_id_number_only_when_it_is_one_and_the_role_may() {
        let hr = Role::HrSpecialist;
        assert!(may_search_by_id(hr) && !may_search_by_id(Role::Director));
        assert_eq!(EmployeeSearch::of(" 1101 ", hr), Some(EmployeeSearch::IdNumber("1101".into())));
        assert_eq!(EmployeeSearch::of("11010519900307123x", hr), Some(EmployeeSearch::IdNumber("11010519900307123X".into())));
        assert_eq!(EmployeeSearch::of("1101", Role::Director), Some(EmployeeSearch::Name("1101".into())));
        for name in ["王", "王1", "X", "x", "Li Na", "1x1"] {
            assert_eq!(EmployeeSearch::of(name, hr), Some(EmployeeSearch::Name(name.into())), "{name}");
        }
        assert_eq!(EmployeeSearch::of("  ", hr), None);
    }

    proptest::proptest! {
        #[test]
        fn a_search_with_a_name_character_is_by_name(head in "[0-9]{0,6}", c in "[^0-9Xx\\s]", tail in "[0-9]{0,6}") {
            let q = format!("{head}{c}{tail}");
            for role in Role::ALL {
                proptest::prop_assert_eq!(EmployeeSearch::of(&q, role), Some(EmployeeSearch::Name(q.trim().to_string())));
            }
        }

        #[test]
        fn digits_are_an_id_number_for_those_who_may(q in "[0-9]{1,17}[0-9Xx]?") {
            for role in Role::ALL {
                let expected = if may_search_by_id(role) { EmployeeSearch::IdNumber(q.to_uppercase()) } else { EmployeeSearch::Name(q.clone()) };
                proptest::prop_assert_eq!(EmployeeSearch::of(&q, role), Some(expected));
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.code()));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn employees_see_only_themselves() {
        assert!(may_see_employee(Role::Employee, Some("bj"), Some("e1"), "bj", "e1"));
        assert!(!may_see_employee(Role::Employee, Some("bj"), Some("e1"), "bj", "e2"));
        assert!(!may_see_employee(Role::Employee, Some("bj"), None, "bj", ""));
    }

    #[test]
    fn branch_roles_stay_in_their_branch() {
        assert!(may_see_employee(Role::HrSpecialist, Some("bj"), None, "bj", "e1"));
        assert!(!may_see_employee(Role::HrSpecialist, Some("bj"), None, "sh", "e1"));
        assert!(!may_see_employee(Role::HrSupervisor, None, None, "sh", "e1"));
        assert!(may_see_employee(Role::Director, None, None, "sh", "e1"));
    }

    #[test]
    fn only_editors_edit_and_only_where_they_see() {
        assert!(may_edit_employee(Role::HrSpecialist, Some("bj"), "bj"));
        assert!(!may_edit_employee(Role::HrSpecialist, Some("bj"), "sh"));
        assert!(!may_edit_employee(Role::HrSupervisor, Some("bj"), "bj"));
        assert!(!may_edit_employee(Role::Finance, None, "bj"));
        assert!(!may_edit_employee(Role::Employee, Some("bj"), "bj"));
        assert!(may_edit_employee(Role::HrManager, None, "sh"));
        assert!(may_edit_employee(Role::Admin, None, "sh"));
    }

    #[test]
    fn only_those_who_maintain_a_record_reveal_its_id() {
        assert!(may_reveal_id(Role::HrSpecialist, Some("bj"), "bj"));
        assert!(!may_reveal_id(Role::HrSpecialist, Some("bj"), "sh"));
        assert!(may_reveal_id(Role::HrManager, None, "sh"));
        assert!(may_reveal_id(Role::Admin, None, "sh"));
        for role in [Role::Employee, Role::HrSupervisor, Role::Finance, Role::Director] {
            assert!(!may_reveal_id(role, Some("bj"), "bj"), "{role:?}");
            assert!(!may_reveal_id(role, None, "bj"), "{role:?}");
        }
    }

    #[test]
    fn the_birth_date_goes_to_revealers_and_to_the_person_themself() {
        assert!(may_see_birth_date(Role::HrSpecialist, Some("bj"), None, "bj", "e1"));
        assert!(may_see_birth_date(Role::Employee, Some("bj"), Some("e1"), "bj", "e1"));
        assert!(!may_see_birth_date(Role::Employee, Some("bj"), Some("e1"), "bj", "e2"));
        assert!(!may_see_birth_date(Role::Employee, Some("bj"), None, "bj", ""));
        assert!(!may_see_birth_date(Role::HrSupervisor, Some("bj"), None, "bj", "e1"));
        assert!(!may_see_birth_date(Role::Finance, None, None, "bj", "e1"));
        assert!(!may_see_birth_date(Role::Director, None, None, "sh", "e1"));
        // Someone in a console role linked to their own record sees their own birth date.
        assert!(may_see_birth_date(Role::Finance, None, Some("e1"), "bj", "e1"));
    }

    /// Searching by ID is allowed exactly when the role may reveal every record it sees:
    /// if `may_reveal_id` changes, this fails until `may_search_by_id` follows.
    #[test]
    fn id_search_follows_the_reveal_rule_for_every_role() {
        let branches = ["bj", "sh"];
        for role in Role::ALL {
            let user_branch = (role.employee_scope() != Scope::Group).then_some("bj");
            let visible = branches.iter().filter(|b| may_see_employee(role, user_branch, Some("e1"), b, "e1"));
            let reveals_all = visible.clone().all(|b| may_reveal_id(role, user_branch, b));
            assert!(visible.count() > 0, "{role:?} sees something");
            assert_eq!(may_search_by_id(role), reveals_all, "{role:?}");
        }
        assert!(may_search_by_id(Role::HrSpecialist));
        assert!(!may_search_by_id(Role::Finance));
        assert!(!may_search_by_id(Role::Director));
        assert!(!may_search_by_id(Role::HrSupervisor));
    }
}

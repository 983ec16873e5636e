//! Chinese first, English on request. The choice is kept in localStorage.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "shebao.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn stored_lang() -> Lang {
    match storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

pub fn set_lang(lang: RwSignal<Lang>, value: Lang) {
    lang.set(value);
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, if value == Lang::En { "en" } else { "zh" });
    }
    if let Some(doc) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = doc.set_attribute("lang", if value == Lang::En { "en" } else { "zh-CN" });
    }
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// (key, 中文, English)
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "社保通", "Shebao"),
    ("login.title", "登录社保通", "Sign in to Shebao"),
    ("login.login", "用户名", "Login"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.busy", "正在登录…", "Signing in…"),
    ("nav.home", "工作台", "Home"),
    ("nav.employees", "员工档案", "Employees"),
    ("nav.me", "我的社保", "My insurance"),
    ("nav.logout", "退出登录", "Sign out"),
    ("common.loading", "正在加载…", "Loading…"),
    ("common.saving", "正在保存…", "Saving…"),
    ("common.save", "保存", "Save"),
    ("common.cancel", "取消", "Cancel"),
    ("common.back", "返回", "Back"),
    ("common.edit", "编辑", "Edit"),
    ("common.retry", "重试", "Retry"),
    ("common.search", "搜索", "Search"),
    ("common.prev", "上一页", "Previous"),
    ("common.next", "下一页", "Next"),
    ("common.error", "出错了", "Something went wrong"),
    ("emp.list.title", "员工档案", "Employees"),
    ("emp.search", "搜索姓名或身份证号", "Search by name or ID number"),
    ("emp.all_branches", "全部分公司", "All branches"),
    ("emp.new", "新增员工", "New employee"),
    ("emp.empty", "没有找到符合条件的员工", "No employees match"),
    ("emp.total", "共 {} 人", "{} in total"),
    ("emp.name", "姓名", "Name"),
    ("emp.resident_id", "身份证号", "Resident ID"),
    ("emp.branch", "分公司", "Branch"),
    ("emp.department", "部门", "Department"),
    ("emp.phone", "手机号", "Mobile"),
    ("emp.email", "邮箱", "Email"),
    ("emp.hire_date", "入职日期", "Hire date"),
    ("emp.salary", "月工资（元）", "Monthly salary (¥)"),
    ("emp.status", "状态", "Status"),
    ("emp.birth_gender", "出生日期 / 性别", "Birth date / gender"),
    ("emp.status.active", "在职", "Active"),
    ("emp.status.left", "已离职", "Left"),
    ("emp.form.new", "新增员工", "New employee"),
    ("emp.form.edit", "编辑员工档案", "Edit employee"),
    ("emp.form.from_id", "从身份证号读取", "Read from the ID"),
    ("emp.form.choose_branch", "请选择分公司", "Choose a branch"),
    ("emp.reveal", "显示完整号码", "Show full number"),
    ("emp.reveal_note", "查看完整号码会记入操作日志", "Revealing the number is recorded in the audit log"),
    ("emp.timeline", "操作记录", "History"),
    ("emp.timeline.empty", "暂无操作记录", "No history yet"),
    ("emp.saved", "已保存", "Saved"),
    ("me.title", "我的社保", "My social insurance"),
    ("me.profile", "个人信息", "Profile"),
    ("me.no_record", "您的账号尚未关联员工档案，请联系人事。", "Your account is not linked to an employee record; please contact HR."),
    ("home.welcome", "欢迎，{}", "Welcome, {}"),
    ("notfound", "页面不存在", "Page not found"),
];

pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, ..)| *k == key)
        .map_or("?", |(_, zh, en)| if lang == Lang::En { en } else { zh })
}

/// The text for `key` in the current language (reactive when called inside a closure).
pub fn t(key: &str) -> &'static str {
    text(use_lang().get(), key)
}

//! Chinese first, English on request. The choice is kept in localStorage.

use leptos::prelude::*;

pub use shebao_domain::Lang;

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
    ("common.open", "查看", "Open"),
    ("common.retry", "重试", "Retry"),
    ("common.search", "搜索", "Search"),
    ("common.prev", "上一页", "Previous"),
    ("common.next", "下一页", "Next"),
    ("common.error", "出错了", "Something went wrong"),
    ("emp.list.title", "员工档案", "Employees"),
    ("emp.search", "搜索姓名或身份证号", "Search by name or ID number"),
    ("emp.search_name", "搜索姓名", "Search by name"),
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
    ("emp.hukou", "户籍", "Hukou"),
    ("emp.status", "状态", "Status"),
    ("emp.birth_gender", "出生日期 / 性别", "Birth date / gender"),
    ("emp.age_gender", "年龄（岁）/ 性别", "Age (years) / gender"),
    ("emp.status.active", "在职", "Active"),
    ("emp.status.left", "已离职", "Left"),
    ("emp.form.new", "新增员工", "New employee"),
    ("emp.form.edit", "编辑员工档案", "Edit employee"),
    ("emp.form.from_id", "从身份证号读取", "Read from the ID"),
    ("emp.id_use_18", "改为18位号码", "Use the 18-digit number"),
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
    ("nav.requests", "申报", "Requests"),
    ("common.reload", "重新加载", "Reload"),
    ("home.enroll", "增员", "Enroll"),
    ("home.remove", "减员", "Remove"),
    ("home.back_pay", "补缴", "Back-pay"),
    ("home.review", "待审核", "To review"),
    ("home.counts", "申报进度", "Requests in progress"),
    ("home.drafts", "草稿", "Drafts"),
    ("home.rejected", "已驳回", "Rejected"),
    ("home.approved", "已批准待执行", "Approved, awaiting execution"),
    ("home.alerts", "提醒", "Alerts"),
    ("home.revocations", "撤销申请待审核", "Revocations to review"),
    ("home.filing_failed", "报送失败待处理", "Filings that need a person"),
    ("state.all", "全部", "All"),
    ("ins.pension", "养老", "Pension"),
    ("ins.medical", "医疗", "Medical"),
    ("ins.unemployment", "失业", "Unemployment"),
    ("ins.work_injury", "工伤", "Work injury"),
    ("ins.maternity", "生育", "Maternity"),
    ("ins.housing_fund", "住房公积金", "Housing fund"),
    ("req.list.title", "社保申报", "Insurance requests"),
    ("req.new", "新建申报", "New request"),
    ("req.edit", "修改申报", "Edit request"),
    ("req.empty", "没有符合条件的申报", "No requests match"),
    ("req.total", "共 {} 条", "{} in total"),
    ("req.employee", "员工", "Employee"),
    ("req.kind", "办理类型", "Type"),
    ("req.months", "月份", "Months"),
    ("req.month", "办理月份", "Month"),
    ("req.from_month", "开始月份", "From"),
    ("req.to_month", "结束月份", "To"),
    ("req.types", "险种", "Insurance"),
    ("req.base", "月工资（申报基数，元）", "Monthly wage or declared base (¥)"),
    ("req.base_from_salary", "按员工档案中的月工资预填；各险种分别按本市该险种的上下限计基数", "Prefilled with the wage on record; each insurance type clamps it into its own range in the city"),
    ("req.type_merged", "已并入医疗保险", "part of medical insurance"),
    ("req.total_amount", "金额", "Amount"),
    ("req.state", "状态", "Status"),
    ("req.reason", "原因", "Reason"),
    ("req.reason_required", "原因（必填）", "Reason (required)"),
    ("req.created_by", "经办人", "Prepared by"),
    ("req.submitted_by", "提交人", "Submitted by"),
    ("req.reject_reason", "驳回原因", "Reason for rejection"),
    ("req.receipt_no", "社保局回执号", "Bureau receipt no."),
    ("req.executed_at", "报送时间", "Sent to the bureau"),
    ("req.revocation_deadline", "可申请撤销至", "Revocation possible until"),
    ("req.revocation_reason", "撤销原因", "Reason for revocation"),
    ("req.bureau_answer", "社保局答复", "Bureau's answer"),
    ("req.updated_at", "更新时间", "Updated"),
    ("req.pick_search", "输入姓名或身份证号搜索", "Search by name or ID number"),
    ("req.pick_none", "没有找到员工", "No employee found"),
    ("req.change_employee", "更换", "Change"),
    ("req.save_draft", "保存草稿", "Save draft"),
    ("req.submit", "提交审核", "Submit for review"),
    ("req.price", "费用预览", "Price"),
    ("req.calc", "计算费用", "Calculate the price"),
    ("req.price_detail", "费用明细", "Price breakdown"),
    ("list.sep", "、", ", "),
    ("req.price_pending", "填写完整后自动计算费用", "The price appears once the form is complete"),
    ("req.confirm_title", "请确认费用", "Please confirm the cost"),
    ("req.confirm_submit", "确认提交", "Confirm and submit"),
    ("req.stale_link", "查看最新内容", "See the latest version"),
    ("req.not_editable", "该申报当前状态不能修改", "This request can no longer be changed"),
    ("req.changes", "自上次审核以来的修改", "Changed since the last review"),
    ("req.print_link", "打印撤销申请表", "Print the revocation form"),
    ("req.reason_prompt", "请填写原因", "Please give the reason"),
    ("req.countdown", "距报送社保局还有", "Sent to the bureau in"),
    ("req.countdown_note", "报送前审核人仍可撤回批准；报送后只能向社保局申请撤销。", "Until then the reviewer can still revoke the approval; after that only the bureau can revoke it."),
    ("req.minutes_left", "{} 分钟后报送", "sent in {} min"),
    ("req.due_now", "正在报送", "being sent"),
    ("price.month", "月份", "Month"),
    ("price.type", "险种", "Insurance"),
    ("price.base", "缴费基数", "Base"),
    ("settings.title", "单位设置", "Company settings"),
    ("settings.hold", "批准后等待报送（分钟）", "Wait after approval before filing (minutes)"),
    ("settings.rates", "单位自定费率", "The employer's own rates"),
    ("settings.rates_hint", "工伤保险按本单位的行业类别和浮动档次，住房公积金按本单位选定的缴存比例（单位和个人相同）；未选择的按城市通常费率计算。", "Work injury at the company's industry class and float, the housing fund at the rate it chose (the same for both shares); where nothing is chosen, the city's usual rate applies."),
    ("settings.work_injury", "工伤保险行业类别", "Work-injury industry class"),
    ("settings.float", "浮动档次", "Float"),
    ("settings.fund", "住房公积金缴存比例", "Housing-fund rate"),
    ("settings.city_usual", "按城市通常费率", "The city's usual rate"),
    ("settings.class", "{}类行业", "Class {}"),
    ("settings.saved", "已保存", "Saved"),
    ("settings.admin_only", "只有系统管理员可以修改单位设置", "Only an administrator changes the company settings"),
    ("settings.source", "工伤保险行业基准费率与浮动档次依据人社部发〔2015〕71号《关于调整工伤保险费率政策的通知》；住房公积金缴存比例依据《住房公积金管理条例》及各城市规定的范围。", "Work-injury class rates and floats follow the MOHRSS notice 人社部发〔2015〕71号; housing-fund rates the Housing Provident Fund Regulations and each city's range."),
    ("nav.settings", "设置", "Settings"),
    ("price.total_back", "退回合计", "Paid back in total"),
    ("price.employer", "单位缴纳", "Employer"),
    ("price.employee", "个人缴纳", "Employee"),
    ("price.late_fee", "滞纳金", "Late fee"),
    ("price.subtotal", "合计", "Subtotal"),
    ("price.total", "总计", "Total"),
    ("price.days", "逾期 {} 天", "{} days late"),
    ("price.none", "减员不产生费用", "A removal costs nothing"),
    ("price.provisional", "按暂行政策数据计算，以社保局核定为准", "Computed on provisional policy figures; the bureau's assessment prevails"),
    ("rev.title", "社会保险业务撤销申请表", "Social insurance revocation request"),
    ("rev.simulator", "（模拟社保局）", "(bureau simulator)"),
    ("rev.unit", "参保单位", "Employer"),
    ("rev.item", "撤销事项", "Item to revoke"),
    ("rev.date", "申请日期", "Date"),
    ("rev.sign_unit", "单位经办人签字（盖章）", "Employer's signature (seal)"),
    ("rev.sign_bureau", "社保经办机构意见", "Bureau's decision"),
    ("rev.print", "打印", "Print"),
    ("rev.not_executed", "该申报尚未报送社保局，无需撤销申请表", "This request was not sent to the bureau; no revocation form is needed"),
];

pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS.iter().find(|(k, ..)| *k == key).map_or("?", |&(_, zh, en)| lang.pick(zh, en))
}

/// The current language, also outside a component (Chinese where there is no app yet);
/// reactive when called inside a closure.
pub fn current_lang() -> Lang {
    use_context::<RwSignal<Lang>>().map_or(Lang::Zh, |lang| lang.get())
}

/// The text for `key` in the current language (reactive when called inside a closure).
pub fn t(key: &str) -> &'static str {
    text(use_lang().get(), key)
}

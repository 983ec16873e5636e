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
    ("nav.logout", "退出登录", "Sign out"),
    ("common.loading", "正在加载…", "Loading…"),
    ("common.saving", "正在保存…", "Saving…"),
    ("common.cancel", "取消", "Cancel"),
    ("common.back", "返回", "Back"),
    ("common.edit", "编辑", "Edit"),
    ("common.retry", "重试", "Retry"),
    ("common.error", "出错了", "Something went wrong"),
    ("emp.name", "姓名", "Name"),
    ("emp.resident_id", "身份证号", "Resident ID"),
    ("emp.branch", "分公司", "Branch"),
    ("emp.department", "部门", "Department"),
    ("emp.phone", "手机号", "Mobile"),
    ("emp.email", "邮箱", "Email"),
    ("emp.bank_card", "银行卡", "Bank card"),
    ("emp.hire_date", "入职日期", "Hire date"),
    ("emp.salary", "月工资（元）", "Monthly salary (¥)"),
    ("emp.hukou", "户籍", "Hukou"),
    ("emp.status", "状态", "Status"),
    ("emp.birth_gender", "出生日期 / 性别", "Birth date / gender"),
    ("emp.age_gender", "年龄（岁）/ 性别", "Age (years) / gender"),
    ("emp.status.active", "在职", "Active"),
    ("emp.status.left", "已离职", "Left"),
    ("emp.timeline", "操作记录", "History"),
    ("emp.timeline.empty", "暂无操作记录", "No history yet"),
    ("emp.saved", "已保存", "Saved"),
    ("me.title", "我的社保", "My social insurance"),
    ("me.profile", "个人信息", "Profile"),
    ("me.glance", "最近一个月", "Latest month"),
    ("me.glance.unpaid", "未缴纳的月份：", "Unpaid months: "),
    ("me.proof", "缴费证明", "Proof"),
    ("me.changes", "我的申请", "My requests"),
    ("me.help", "在线咨询", "Ask"),
    ("me.no_record", "您的账号尚未关联员工档案，请联系人事。", "Your account is not linked to an employee record; please contact HR."),
    ("notfound", "页面不存在", "Page not found"),
    ("nav.requests", "申报", "Requests"),
    ("common.reload", "重新加载", "Reload"),
    ("state.all", "全部", "All"),
    ("ins.pension", "养老", "Pension"),
    ("ins.medical", "医疗", "Medical"),
    ("ins.unemployment", "失业", "Unemployment"),
    ("ins.work_injury", "工伤", "Work injury"),
    ("ins.maternity", "生育", "Maternity"),
    ("ins.housing_fund", "住房公积金", "Housing fund"),
    ("req.state", "状态", "Status"),
    ("req.reject_reason", "驳回原因", "Reason for rejection"),
    ("list.sep", "、", ", "),
    ("req.minutes_left", "{} 分钟后报送", "sent in {} min"),
    ("req.due_now", "正在报送", "being sent"),
    ("price.month", "月份", "Month"),
    ("price.type", "险种", "Insurance"),
    ("price.base", "缴费基数", "Base"),
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
    ("nav.dashboard", "缴费看板", "Dashboard"),
    ("nav.alerts", "预警", "Alerts"),
    ("nav.messages", "发送记录", "Messages"),
    ("nav.notifications", "通知", "Notifications"),
    ("me.contributions", "缴费记录", "Contribution record"),
    ("me.contributions.empty", "暂无缴费记录", "No contributions yet"),
    ("contrib.receipt", "回执号", "Receipt"),
    ("contrib.due", "截止日", "Due"),
    ("contrib.paid_on", "缴费日期", "Paid on"),
    ("nav.claims", "报销审核", "Claims"),
    ("nav.changes", "员工申请", "Staff requests"),
    ("nav.help", "咨询与知识库", "Help desk"),
    ("nav.reports", "报表", "Reports"),
    ("claim.new", "申请报销", "Apply for reimbursement"),
    ("claim.mine", "我的报销", "My claims"),
];

/// Texts only lazily loaded console pages read (the console home, the employee and
/// enrollment pages, dashboard, run, alerts, notifications, sent messages, settings, the
/// revocation form): a table of their own, reached only from those
/// pages' code through `tr`, so that the splitter moves it into their chunks and out of the
/// phone's first download (200 KB to 我的社保).
const RUN_TEXTS: &[(&str, &str, &str)] = &[
    ("common.save", "保存", "Save"),
    ("common.open", "查看", "Open"),
    ("common.search", "搜索", "Search"),
    ("common.prev", "上一页", "Previous"),
    ("common.next", "下一页", "Next"),
    ("emp.list.title", "员工档案", "Employees"),
    ("emp.search", "搜索姓名或身份证号", "Search by name or ID number"),
    ("emp.search_name", "搜索姓名", "Search by name"),
    ("emp.all_branches", "全部分公司", "All branches"),
    ("emp.new", "新增员工", "New employee"),
    ("emp.empty", "没有找到符合条件的员工", "No employees match"),
    ("emp.form.new", "新增员工", "New employee"),
    ("emp.form.edit", "编辑员工档案", "Edit employee"),
    ("emp.form.from_id", "从身份证号读取", "Read from the ID"),
    ("emp.id_use_18", "改为18位号码", "Use the 18-digit number"),
    ("emp.form.choose_branch", "请选择分公司", "Choose a branch"),
    ("emp.reveal", "显示完整号码", "Show full number"),
    ("emp.reveal_note", "查看完整号码会记入操作日志", "Revealing the number is recorded in the audit log"),
    ("home.welcome", "欢迎，{}", "Welcome, {}"),
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
    ("req.reason", "原因", "Reason"),
    ("req.reason_required", "原因（必填）", "Reason (required)"),
    ("req.created_by", "经办人", "Prepared by"),
    ("req.submitted_by", "提交人", "Submitted by"),
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
    ("rev.title", "社会保险业务撤销申请表", "Social insurance revocation request"),
    ("rev.simulator", "（模拟社保局）", "(bureau simulator)"),
    ("rev.unit", "参保单位", "Employer"),
    ("rev.item", "撤销事项", "Item to revoke"),
    ("rev.date", "申请日期", "Date"),
    ("rev.sign_unit", "单位经办人签字（盖章）", "Employer's signature (seal)"),
    ("rev.sign_bureau", "社保经办机构意见", "Bureau's decision"),
    ("rev.print", "打印", "Print"),
    ("rev.not_executed", "该申报尚未报送社保局，无需撤销申请表", "This request was not sent to the bureau; no revocation form is needed"),
    ("home.dashboard", "缴费看板", "Contributions dashboard"),
    ("home.all_notifications", "全部通知", "All notifications"),
    ("alert.level.1", "一级预警", "Level 1"),
    ("alert.level.2", "二级预警", "Level 2"),
    ("alert.level.3", "三级预警", "Level 3"),
    ("dash.title", "本月缴费看板", "This month's contributions"),
    ("dash.clock", "演示时钟 {}（本地模拟）", "Demo clock {} (simulated locally)"),
    ("dash.empty", "没有可查看的分公司", "No branches to show"),
    ("dash.no_run", "本月缴费清单尚未生成", "This month's run has not been generated"),
    ("dash.generate", "生成本月清单", "Generate this month's run"),
    ("dash.open_run", "查看清单", "Open the run"),
    ("dash.due", "截止日", "Deadline"),
    ("dash.budget", "月度预算", "Monthly budget"),
    ("dash.no_budget", "未设置", "Not set"),
    ("dash.employees", "人数", "Employees"),
    ("run.title", "社保缴费清单", "Contribution run"),
    ("run.due", "缴费截止日", "Payment deadline"),
    ("run.budget", "本月预算", "Budget"),
    ("run.no_budget", "未设预算", "No budget set"),
    ("run.over_budget", "超出预算 {}", "{} over budget"),
    ("run.paid_on", "缴费日期", "Paid on"),
    ("run.confirmed_by", "确认人", "Confirmed by"),
    ("run.approved_by", "审批人", "Approved by"),
    ("run.approval_reason", "审批说明", "Approval note"),
    ("run.reject_reason", "退回原因", "Reason for sending back"),
    ("run.progress", "已生成 {done} / {total} 人", "{done} of {total} employees done"),
    ("run.changes", "与上月相比的变化", "Changes since last month"),
    ("run.changes_note", "基数以养老保险为准", "Pension base shown"),
    ("run.changes.none", "与上月相比没有变化", "No changes since last month"),
    ("run.change.added", "新增", "Added"),
    ("run.change.stopped", "停缴", "Stopped"),
    ("run.change.base_changed", "基数变更", "Base changed"),
    ("run.lines", "缴费明细", "Lines"),
    ("common.export", "导出 Excel", "Export to Excel"),
    // -- the roster import --
    ("imp.link", "导入花名册", "Import a roster"),
    ("imp.title", "导入花名册", "Import a roster"),
    ("imp.back", "返回员工档案", "Back to employees"),
    ("imp.branch", "导入到分公司", "Into branch"),
    ("imp.file", "花名册文件", "Roster file"),
    ("imp.file_hint", "支持 .xlsx、.xls 和 .csv（UTF-8 或 GBK 编码）。第一行为表头，之后每行一名新员工；姓名、身份证号、入职日期、月工资必填。", "Accepts .xlsx, .xls and .csv (UTF-8 or GBK). The first row holds the headers, then one new hire per row; name, ID number, hire date and monthly salary are required."),
    ("imp.no_branch", "您没有可以导入员工的分公司", "There is no branch you may import employees into"),
    ("imp.reading", "正在读取…", "Reading…"),
    ("imp.checking", "正在校验…", "Checking…"),
    ("imp.uploading", "正在上传 {done} / {total}", "Uploading {done} / {total}"),
    ("imp.committing", "正在导入…", "Importing…"),
    ("imp.err.unreadable", "无法读取该文件：请选择 .xlsx、.xls 或 .csv 格式的花名册", "This file cannot be read: choose a roster in .xlsx, .xls or .csv"),
    ("imp.err.empty", "文件是空的，没有可导入的内容", "The file is empty"),
    ("imp.err.no_rows", "文件中只有表头，没有数据行", "The file has a header row and no data rows"),
    ("imp.err.too_big", "文件超过 30 MB，请分成几个文件导入", "The file is over 30 MB: split it into several files"),
    ("imp.mapping", "列与字段的对应", "Columns and fields"),
    ("imp.mapping_hint", "已按表头自动匹配，请核对；不需要的列选择“不导入”。", "Matched from the headers: check them; choose “Not imported” for columns you do not need."),
    ("imp.col", "文件中的列", "Column in the file"),
    ("imp.samples", "示例", "Sample values"),
    ("imp.field", "对应字段", "Field"),
    ("imp.skip", "不导入", "Not imported"),
    ("imp.required", "（必填）", " (required)"),
    ("imp.col_n", "第 {} 列", "Column {}"),
    ("imp.summary", "共 {n} 行，有效 {m} 行，错误 {k} 行", "{n} rows: {m} valid, {k} with errors"),
    ("imp.errors", "错误明细", "Errors"),
    ("imp.row", "行号", "Row"),
    ("imp.column", "列", "Column"),
    ("imp.error", "错误", "Error"),
    ("imp.values", "该行内容", "Row values"),
    ("imp.errors_capped", "仅显示前 {shown} 条，共 {total} 条错误", "The first {shown} of {total} errors"),
    ("imp.import_all", "导入 {} 行", "Import {} rows"),
    ("imp.import_valid", "仅导入有效的 {} 行", "Import only the {} valid rows"),
    ("imp.none_valid", "没有可导入的有效行，请修正文件后重新选择", "No row is valid: correct the file and choose it again"),
    ("imp.server_errors", "服务器校验发现 {} 行错误，尚未导入任何数据。", "The server found errors in {} rows; nothing was imported."),
    ("imp.done", "已导入 {} 行", "{} rows imported"),
    ("imp.to_list", "查看员工档案", "See the employees"),
    ("imp.rejected", "下载未导入的 {} 行（Excel，含错误说明）", "Download the {} rejected rows (Excel, with the errors)"),
    ("imp.resume_list", "继续上次的导入：{file}，已上传 {done} / {total} 行", "Continue the last import: {file}, {done} / {total} rows sent"),
    ("imp.resume", "继续", "Continue"),
    ("imp.resume_note", "继续上次的导入：{file}，已上传 {done} / {total} 行。请再次选择同一个文件，已上传的行不会重复上传。", "Continuing the import of {file}: {done} / {total} rows sent. Choose the same file again; the rows already sent are not sent twice."),
    ("imp.resume_mismatch", "所选文件有 {n} 行数据，与上次导入的 {total} 行不一致，请选择同一个文件。", "This file has {n} data rows, the import {total}: choose the same file."),
    ("run.lines.shown", "已显示 {} 人", "{} employees shown"),
    ("run.lines.split", "单位 / 个人", "employer / employee"),
    ("run.lines.own_base", "基数", "base"),
    ("run.lines.empty", "暂无明细", "No lines yet"),
    ("run.more", "加载更多", "Load more"),
    ("run.reason_reject", "原因（退回人事时必填）", "Reason (required to send it back to HR)"),
    ("run.reason_over", "原因（退回人事或超预算审批时必填）", "Reason (required to send it back, or to approve it over budget)"),
    ("run.reason_missing", "请先填写原因", "Please give the reason first"),
    ("alerts.title", "预警", "Escalation alerts"),
    ("alerts.empty", "暂无预警", "No alerts"),
    ("alerts.raised", "发出时间", "Raised"),
    ("alerts.resolved", "已解除", "Resolved"),
    ("alerts.acknowledged", "已确认", "Acknowledged"),
    ("alerts.note", "处理说明（必填）", "What is being done (required)"),
    ("alerts.ack", "确认处理", "Acknowledge"),
    ("notif.title", "通知", "Notifications"),
    ("notif.empty", "暂无通知", "No notifications"),
    ("notif.mark_read", "标为已读", "Mark as read"),
    ("notif.mark_all", "全部已读", "Mark all as read"),
    ("notif.unread", "未读 {} 条", "{} unread"),
    ("msg.title", "发送记录", "Sent messages"),
    ("msg.banner", "本地模拟发送记录：以下是本地模拟的邮件、短信服务商“发出”的内容，并未真正发送给任何人。", "Simulated provider: what the local stand-in for the email and SMS providers would have sent. Nothing here reached anyone."),
    ("msg.channel", "渠道", "Channel"),
    ("msg.recipient", "收件人", "Recipient"),
    ("msg.body", "内容", "Message"),
    ("msg.status", "状态", "Status"),
    ("msg.attempts", "尝试次数", "Attempts"),
    ("msg.created", "创建时间", "Created"),
    ("msg.sent", "发送时间", "Sent"),
    ("msg.email", "邮件", "Email"),
    ("msg.sms", "短信", "SMS"),
    ("msg.status.pending", "待发送", "Pending"),
    ("msg.status.sent", "已发送", "Sent"),
    ("msg.status.failed", "发送失败", "Failed"),
    ("msg.empty", "暂无发送记录", "Nothing sent yet"),
    ("report.title", "统计报表", "Reports"),
    ("report.denied", "您无权查看报表", "You have no access to the reports"),
    ("report.tab.late-payments", "逾期缴费", "Late payments"),
    ("report.tab.claim-times", "报销时效", "Claim times"),
    ("report.tab.costs", "社保成本", "Costs"),
    ("report.from", "开始月份", "From"),
    ("report.to", "结束月份", "To"),
    ("report.total", "合计", "Total"),
    ("report.late.empty", "所选期间没有逾期缴费", "No late payments in these months"),
    ("report.late.trend", "逾期趋势（按月、按原因）", "Late months by month and cause"),
    ("report.late.branches", "各分公司逾期月数", "Late months by branch"),
    ("report.late.by_month", "按月统计", "By month"),
    ("report.late.runs", "逾期明细", "The late months"),
    ("report.runs", "应缴月数", "Months due"),
    ("report.late", "逾期", "Late"),
    ("report.paid_on", "缴费日", "Paid on"),
    ("report.unpaid", "未缴", "Unpaid"),
    ("report.days_late", "逾期天数", "Days late"),
    ("report.cause", "原因", "Cause"),
    ("report.claims.empty", "所选期间没有报销申请", "No claims in these months"),
    ("report.claims.groups", "从提交到支付的天数", "Days from submission to payment"),
    ("report.claims.trend", "中位天数（按提交月份）", "Median days by month of submission"),
    ("report.paid_count", "已支付笔数", "Paid"),
    ("report.count", "笔数", "Claims"),
    ("report.median", "中位天数", "Median days"),
    ("report.p90", "90分位天数", "90th percentile days"),
    ("report.paid_amount", "已支付金额", "Paid amount"),
    ("report.waiting", "处理中", "In progress"),
    ("report.days", "{} 天", "{} days"),
    ("report.costs.empty", "所选期间没有缴费记录", "No contributions in these months"),
    ("report.costs.branches", "各分公司成本", "Cost by branch"),
    ("report.costs.departments", "各部门单位缴纳占比", "Employer cost by department"),
    ("report.costs.new_hire", "新入职成本（按月）", "New-hire cost by month"),
    ("report.costs.months", "按月统计", "By month"),
    ("report.share", "占比", "Share"),
    ("report.other", "其他", "Other"),
    ("report.employer", "单位", "Employer"),
    ("report.employee", "个人", "Employee"),
    ("report.new_hires", "新入职人数", "New hires"),
    ("report.new_hire_cost", "新入职成本", "New-hire cost"),
    ("report.growth", "环比", "Month on month"),
    ("report.back_payments", "补缴", "Back-payments"),
    ("report.back_payment_fees", "补缴滞纳金", "Back-payment late fees"),
    ("report.mistakes", "差错成本", "What mistakes cost"),
    ("report.back_payment_amount", "补缴金额", "Back-paid"),
    ("report.fees", "合计罚金", "Fees in total"),
];

/// Texts only the lazily loaded claim pages read (list, form, claim), through `tc`: like
/// `RUN_TEXTS`, out of the phone's first download.
const CLAIM_TEXTS: &[(&str, &str, &str)] = &[
    ("claims.export", "导出 Excel", "Export to Excel"),
    ("claims.empty", "您还没有报销申请", "You have no claims yet"),
    ("claims.none", "没有符合条件的报销", "No claims match"),
    ("claim.kind", "报销类型", "Type"),
    ("claim.amount", "报销金额（元）", "Amount (¥)"),
    ("claim.start.inpatient", "入院日期", "Admitted on"),
    ("claim.end.inpatient", "出院日期", "Discharged on"),
    ("claim.start.outpatient", "就诊日期", "Treated on"),
    ("claim.end.outpatient", "结束日期（一次就诊同一天）", "Last day (the same for one visit)"),
    ("claim.hospital", "医院", "Hospital"),
    ("claim.hospital_hint", "医院全称，如：北京协和医院", "The hospital's full name"),
    ("claim.dates", "就诊日期", "Treatment"),
    ("claim.create", "下一步：上传材料", "Next: upload the documents"),
    ("claim.create_note", "先保存为草稿，上传材料后再提交", "Saved as a draft; you submit it once the documents are uploaded"),
    ("claim.employee", "申请人", "Claimant"),
    ("claim.submitted_at", "提交时间", "Submitted"),
    ("claim.next", "下一步", "Next step"),
    ("claim.holder", "办理人", "With"),
    ("claim.months", "近三个月缴费核查", "Contributions of the last three months"),
    ("claim.no_record", "无缴费记录", "Nothing on record"),
    ("claim.documents", "报销材料", "Documents"),
    ("claim.no_documents", "尚未上传", "None uploaded yet"),
    ("claim.camera", "拍照上传", "Take a photo"),
    ("claim.choose", "从相册或文件选择", "Choose a photo or file"),
    ("claim.file_types", "PDF、JPEG 或 PNG，每个不超过 10 MB", "PDF, JPEG or PNG, up to 10 MB each"),
    ("claim.uploading", "上传中…", "Uploading…"),
    ("claim.missing", "还缺少：{}", "Still missing: {}"),
    ("claim.submit", "提交报销申请", "Submit the claim"),
    ("claim.submit_blocked", "材料齐全后才能提交", "Every kind of document is needed before submitting"),
    ("claim.timeline", "办理进度", "Progress"),
    ("claim.do.hr_approve", "审核通过", "Approve"),
    ("claim.do.finance_approve", "批准付款", "Approve the payment"),
    ("claim.do.reject", "驳回", "Reject"),
    ("claim.do.pay", "确认已打款", "Confirm it was paid"),
    ("claim.reason", "驳回原因（驳回时必填）", "Reason (required to reject)"),
    ("claim.reason_missing", "请先填写驳回原因", "Please give the reason first"),
    ("claim.receipt", "打款回执", "Payment receipt"),
    ("claim.receipt_no", "银行回执号", "Bank receipt no."),
    ("claim.paid_on", "打款日期", "Paid on"),
];

/// Texts only the lazily loaded self-service pages (requests, proof, their review) and the
/// help pages (the assistant, tickets, the FAQ editor) read, through `ts`: like `RUN_TEXTS`.
const SELF_TEXTS: &[(&str, &str, &str)] = &[
    ("nav.me", "我的社保", "My insurance"),
    // -- self-service --
    ("changes.title", "我的申请", "My requests"),
    ("changes.intro", "修改联系方式、银行卡，或申请复核缴费基数：人事审核通过后才生效。参保类型、缴费基数和减员由人事办理，不能在这里修改。", "Change your contact details or bank card, or ask for a base review: it takes effect once HR approves it. Enrollment types, bases and removals are HR's to change, not here."),
    ("changes.new", "新的申请", "New request"),
    ("changes.mine", "申请记录", "My requests so far"),
    ("changes.empty", "还没有申请记录", "No requests yet"),
    ("change.kind", "要修改的内容", "What to change"),
    ("change.phone", "新手机号", "New mobile number"),
    ("change.email", "新邮箱", "New email"),
    ("change.bank_card", "新银行卡号", "New bank card number"),
    ("change.reason", "复核原因", "Reason for the review"),
    ("change.current", "当前：", "Now: "),
    ("change.bank_card_hint", "报销款打入这张卡：请填写本人名下的借记卡（16–19 位），人事核对后生效。", "Reimbursements are paid to this card: enter a debit card in your own name (16–19 digits); it takes effect once HR has checked it."),
    ("change.base_hint", "缴费基数按上年度月平均工资核定。如认为基数有误，请说明原因，人事会核对工资记录后答复。", "The base follows last year's average monthly salary. If you think it is wrong, say why: HR checks the payroll and answers."),
    ("change.submit", "提交申请", "Send request"),
    ("change.sending", "正在提交…", "Sending…"),
    ("change.sent", "已提交，人事审核通过后生效", "Sent: it takes effect once HR approves it"),
    ("review.empty", "没有这类申请", "No requests here"),
    ("review.reason", "说明（驳回时必填）", "Note (required to reject)"),
    ("review.approve", "批准", "Approve"),
    ("review.reject", "驳回", "Reject"),
    ("proof.title", "缴费证明", "Proof of contributions"),
    ("proof.intro", "证明列出最近 24 个月的缴费情况，身份证号只显示部分数字。开具后把链接发给需要的单位或个人，对方打开即可核验，{} 天内有效。", "The proof lists the last 24 months of contributions, with the ID number partly hidden. Send its link to whoever needs it: opening it is the check, for {} days."),
    ("proof.issue", "开具缴费证明", "Issue a proof"),
    ("proof.reissue", "重新开具", "Issue again"),
    ("proof.issuing", "正在开具…", "Issuing…"),
    ("proof.heading", "社会保险缴费证明", "Proof of social insurance contributions"),
    ("proof.name", "姓名", "Name"),
    ("proof.resident_id", "身份证号", "Resident ID"),
    ("proof.employer", "参保单位", "Employer"),
    ("proof.credit_code", "统一社会信用代码", "Credit code"),
    ("proof.issued_at", "开具时间", "Issued"),
    ("proof.expires_on", "核验有效期至", "Verifiable until"),
    ("proof.code", "证明编号", "Proof number"),
    ("proof.period", "月份", "Month"),
    ("proof.base", "养老缴费基数", "Pension base"),
    ("proof.check_note", "本证明由社保通按开具时的缴费记录生成，打开证明链接即可核验真伪。", "Shebao generated this proof from the record at the time of issue; opening its link checks it."),
    ("proof.link", "证明链接", "Link to the proof"),
    ("proof.copy", "复制链接", "Copy link"),
    ("proof.share", "分享", "Share"),
    ("proof.open", "打开证明页", "Open the proof"),
    ("proof.copied", "链接已复制，可粘贴发送给对方", "Link copied: paste it to whoever needs it"),
    ("proof.copy_by_hand", "无法自动复制：请长按上面的链接复制", "Could not copy: press and hold the link above to copy it"),
    ("proof.verify", "缴费证明核验", "Proof check"),
    ("proof.valid", "核验通过：以下内容与开具时的缴费记录一致", "Checked: this is the record as it was when the proof was issued"),
    ("proof.invalid", "该证明不存在或已过期，请联系本人重新开具", "This proof does not exist or has expired: ask for a new one"),
    ("proof.print", "打印", "Print"),
    // -- help --
    ("help.title", "在线咨询", "Ask a question"),
    ("help.intro", "输入您的问题，我们会在知识库中为您查找答案", "Type your question and we look for the answer in the FAQ"),
    ("help.placeholder", "例如：住院报销需要哪些材料？", "Your question, in Chinese"),
    ("help.ask", "提问", "Ask"),
    ("help.asking", "正在查找答案…", "Looking for an answer…"),
    ("help.suggested", "大家常问：", "Often asked:"),
    ("help.you_asked", "您的问题：", "You asked: "),
    ("help.source", "依据：知识库条目 {id} · 匹配度 {score}", "Source: FAQ entry {id} · match {score}"),
    ("help.own_title", "您的社保缴纳情况", "Your contributions"),
    ("help.own_period", "所属月份：{}", "Month: {}"),
    ("help.own_record", "查看缴费记录 ›", "See the contribution record ›"),
    ("help.no_answer", "知识库里没有找到合适的答案。可以转人工，由负责您的人事解答。", "The FAQ has no good answer to this. You can hand it over to your HR specialist."),
    ("help.not_solved", "没有解决？转人工", "Not solved? Ask HR"),
    ("help.handover_title", "转人工", "Ask HR"),
    ("help.handover_hint", "问题会转给负责您的人事专员，工作时间内答复", "Your question goes to your HR specialist, who answers in working hours"),
    ("help.handover_question", "问题描述", "Your question"),
    ("help.handover_submit", "提交给人事", "Send to HR"),
    ("help.handover_done", "已转给人事，答复会出现在通知中心", "Sent to HR: the answer will appear in your notifications"),
    ("help.sending", "正在提交…", "Sending…"),
    ("help.mine", "我的提问", "My questions"),
    ("help.mine_empty", "还没有转人工的提问", "No questions handed over yet"),
    ("help.answered_by", "{name} 答复于 {time}", "Answered by {name}, {time}"),
    ("help.asked_at", "提问时间", "Asked"),
    ("help.queue", "咨询工单", "Help tickets"),
    ("help.queue_empty", "没有这个状态的工单", "No tickets in this state"),
    ("help.answer_label", "答复内容", "Your answer"),
    ("help.answer_submit", "答复", "Answer"),
    ("help.console_note", "咨询工单由各分公司的人事答复。", "Each branch's HR answers its help tickets."),
    ("help.console_note_faq", "您可以在知识库中维护员工常见问题的答案。", "You can maintain the answers to common questions in the FAQ."),
    ("help.faq_manage", "维护知识库", "Manage the FAQ"),
    ("help.faq_view", "查看知识库", "Read the FAQ"),
    ("help.faq_title", "知识库", "FAQ"),
    ("help.faq_all", "全部分类", "All categories"),
    ("help.faq_count", "共 {} 条", "{} entries"),
    ("help.faq_new", "新增条目", "New entry"),
    ("help.faq_new_title", "新增知识库条目", "New FAQ entry"),
    ("help.faq_edit_title", "编辑条目 {}", "Edit entry {}"),
    ("help.faq_question", "问题", "Question"),
    ("help.faq_answer", "答案", "Answer"),
    ("help.faq_keywords", "关键词", "Keywords"),
    ("help.faq_keywords_hint", "用逗号或顿号（、）分隔，最多 10 个", "Separated by commas or 、, at most 10"),
    ("help.faq_category", "分类", "Category"),
    ("help.faq_category_pick", "请选择分类", "Choose a category"),
    ("help.faq_enabled", "启用（员工可以查到这条答案）", "Enabled (employees get this answer)"),
    ("help.faq_state", "状态", "State"),
    ("help.faq_on", "启用", "Enabled"),
    ("help.faq_off", "停用", "Disabled"),
    ("help.faq_updated", "更新时间", "Updated"),
    ("help.faq_starter", "初始内容", "Starter FAQ"),
    ("help.faq_save", "保存条目", "Save the entry"),
    ("help.faq_saved", "已保存：{}", "Saved: {}"),
    ("help.faq_readonly", "您可以查看知识库，内容由人事维护", "You can read the FAQ; HR maintains it"),
    ("help.faq_empty", "暂无条目", "No entries"),
    ("help.faq_try", "试一试：员工提问会得到什么答案", "Try it: what an employee asking this gets"),
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

/// A lazily loaded page's text: from its pages' own table, else from the shared one.
fn from_table(table: &'static [(&str, &str, &str)], lang: Lang, key: &str) -> &'static str {
    table.iter().find(|(k, ..)| *k == key).map_or_else(|| text(lang, key), |&(_, zh, en)| lang.pick(zh, en))
}

fn run_text(lang: Lang, key: &str) -> &'static str {
    from_table(RUN_TEXTS, lang, key)
}

/// `t` for the run pages (reactive when called inside a closure).
pub fn tr(key: &str) -> &'static str {
    run_text(use_lang().get(), key)
}

fn claim_text(lang: Lang, key: &str) -> &'static str {
    from_table(CLAIM_TEXTS, lang, key)
}

/// `t` for the claim pages (reactive when called inside a closure).
pub fn tc(key: &str) -> &'static str {
    claim_text(use_lang().get(), key)
}

fn self_text(lang: Lang, key: &str) -> &'static str {
    from_table(SELF_TEXTS, lang, key)
}

/// `t` for the self-service and help pages (reactive when called inside a closure).
pub fn ts(key: &str) -> &'static str {
    self_text(use_lang().get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_there_once_with_both_languages() {
        let all: Vec<_> = TEXTS.iter().chain(RUN_TEXTS).chain(CLAIM_TEXTS).chain(SELF_TEXTS).collect();
        for (i, (key, zh, en)) in all.iter().enumerate() {
            assert!(!zh.is_empty() && !en.is_empty(), "{key}");
            assert!(all[i + 1..].iter().all(|(k, ..)| k != key), "{key} twice");
        }
        assert_eq!(text(Lang::Zh, "me.contributions"), "缴费记录");
        assert_eq!(text(Lang::En, "no.such.key"), "?");
        assert_eq!(run_text(Lang::Zh, "notif.empty"), "暂无通知");
        assert_eq!(run_text(Lang::En, "alert.level.3"), "Level 3");
        assert_eq!(run_text(Lang::Zh, "common.back"), "返回", "the shared table answers the rest");
        assert_eq!(text(Lang::Zh, "notif.empty"), "?", "a run page's text is not in the first download's table");
        assert_eq!((text(Lang::Zh, "settings.title"), run_text(Lang::Zh, "settings.title")), ("?", "单位设置"));
        assert_eq!(claim_text(Lang::En, "claim.uploading"), "Uploading…");
        assert_eq!(claim_text(Lang::Zh, "claim.new"), "申请报销", "the shared table answers the rest");
        assert_eq!(text(Lang::Zh, "claim.uploading"), "?");
    }
}

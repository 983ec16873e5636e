//! The help assistant: a maintained FAQ and the matcher that finds the entry for a question.
//!
//! Chinese is written without spaces, and a word segmenter needs a dictionary we would have
//! to ship to the phone. Overlapping character bigrams ("报销材料" → 报销 销材 材料) need none:
//! every real two-character word of the question is among them, and the noise bigrams
//! (销材) are rare in the FAQ, so BM25's IDF gives them little weight. BM25 also
//! rewards an entry for containing more of the question's words without letting a long
//! answer win by sheer length. A short synonym table maps colloquial phrasings (晚交, 辞职,
//! 看病) onto the words the FAQ uses, which bigrams alone cannot bridge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::{ContributionMonth, OwnStatus};
use crate::lang::Lang;
use crate::role::{Role, Scope};
use crate::run::ContributionStatus;
use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
    pub category: FaqCategory,
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaqCategory {
    Enrollment,
    BackPayment,
    Reimbursement,
    LatePayment,
    MovingCities,
    LeavingJob,
    Other,
}

impl FaqCategory {
    pub const ALL: [FaqCategory; 7] = {
        use FaqCategory::*;
        [Enrollment, BackPayment, Reimbursement, LatePayment, MovingCities, LeavingJob, Other]
    };

    pub fn code(self) -> &'static str {
        match self {
            FaqCategory::Enrollment => "enrollment",
            FaqCategory::BackPayment => "back_payment",
            FaqCategory::Reimbursement => "reimbursement",
            FaqCategory::LatePayment => "late_payment",
            FaqCategory::MovingCities => "moving_cities",
            FaqCategory::LeavingJob => "leaving_job",
            FaqCategory::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<FaqCategory> {
        FaqCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FaqCategory::Enrollment => lang.pick("参保与增员", "Enrollment"),
            FaqCategory::BackPayment => lang.pick("补缴", "Back-payment"),
            FaqCategory::Reimbursement => lang.pick("报销", "Reimbursement"),
            FaqCategory::LatePayment => lang.pick("逾期与断缴", "Late payment and gaps"),
            FaqCategory::MovingCities => lang.pick("转移与异地", "Moving cities"),
            FaqCategory::LeavingJob => lang.pick("离职与减员", "Leaving a job"),
            FaqCategory::Other => lang.pick("其他", "Other"),
        }
    }
}

/// One entry found for a question. `score` is a BM25 relevance score, not money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub entry_id: String,
    pub score: f64,
}

// ---------------------------------------------------------------------------------------
// Normalisation and tokens
// ---------------------------------------------------------------------------------------

/// Colloquial phrase → the word the FAQ uses. At each position the longest phrase wins, so
/// 交了 beats 交, and an identity pair (提交) keeps a word away from a shorter rule (交→缴).
const SYNONYMS: &[(&str, &str)] = &[
    // What it is called.
    ("社会保险", "社保"), ("五险", "社保"), ("买社保", "参保"), ("医保", "医疗保险"), ("公司", "单位"),
    // Paying late or not at all.
    ("延迟", "逾期"), ("晚交", "逾期"), ("迟交", "逾期"), ("没交", "未缴"), ("断交", "断缴"), ("停缴", "断缴"),
    // 交 is the everyday word for 缴, but 提交 is submitting.
    ("补交", "补缴"), ("交了", "缴纳"), ("缴了", "缴纳"), ("提交", "提交"), ("交", "缴"),
    // Claims.
    ("报账", "报销"), ("住院费", "住院"), ("看病", "就医"), ("资料", "材料"), ("证件", "材料"),
    // Jobs and cities.
    ("辞职", "离职"), ("跳槽", "离职"), ("换工作", "离职"), ("入职", "增员"),
    ("调动", "转移"), ("迁移", "转移"), ("转社保", "转移社保"), ("转走", "转移"),
    // Changing one's details.
    ("工资卡", "银行卡"), ("电话号码", "手机号"), ("更换", "修改"), ("变更", "修改"), ("更改", "修改"),
    ("修改", "修改"), ("改", "修改"),
    // The rest: 怎么办 asks for a procedure like 怎么, and both are question words.
    ("打印", "下载"), ("客服", "人工"), ("怎么办", "怎么"),
];

/// Particles and question words say nothing about the topic, and the bigrams they form with
/// their neighbours (了怎, 的报) are noise that can outscore a real word: they end a run.
const STOP_CHARS: &[char] =
    &['的', '了', '吗', '呢', '吧', '啊', '呀', '么', '怎', '什', '哪', '些', '我', '您', '你'];
/// Two-character question words that are not made of stop characters.
const STOP_BIGRAMS: &[&str] = &["如何", "需要", "可以", "多少", "时候"];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Full-width ASCII to half-width, lower case, synonyms applied; every character that is
/// neither CJK nor alphanumeric becomes a space, which ends a run.
fn canonical(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(' '),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .map(|c| if is_cjk(c) || c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut out = String::with_capacity(plain.len());
    let mut rest = plain.as_str();
    while let Some(c) = rest.chars().next() {
        match SYNONYMS.iter().filter(|(from, _)| rest.starts_with(from)).max_by_key(|(from, _)| from.len()) {
            Some((from, to)) => {
                out.push_str(to);
                rest = &rest[from.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// The tokens of a text: bigrams of each run of CJK characters (a lone character is a
/// unigram), whole words and numbers otherwise, after [`canonical`], without stop bigrams.
pub fn tokens(text: &str) -> Vec<String> {
    let text = canonical(text);
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<String>| {
        if run.len() == 1 {
            out.push(run[0].to_string());
        }
        out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
        run.clear();
    };
    for c in text.chars().chain([' ']) {
        if is_cjk(c) && !STOP_CHARS.contains(&c) {
            run.push(c);
        } else {
            flush_run(&mut run, &mut out);
        }
        if c.is_alphanumeric() && !is_cjk(c) {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    out.retain(|t| !STOP_BIGRAMS.contains(&t.as_str()));
    out
}

/// Whether a question asks about the employee's own contributions ("我的社保交了吗"), which
/// the worker answers from the employee's record rather than the FAQ. After [`canonical`]
/// the question must name the subject (社保 缴纳 断缴 缴费), be about the employee (我) or a
/// month (这个月 本月 上个月), carry a question marker (吗 没有 了没 是否 有没有 怎么样 状态),
/// and not ask for a procedure or an explanation (怎么办, 为什么, 会影响我吗, 可以…吗),
/// which the FAQ answers. 怎么样 asks for a state, so it counts as 状态, not as 怎么.
pub fn asks_own_status(query: &str) -> bool {
    let text = canonical(query).replace("怎么样", "状态");
    let any = |words: &[&str]| words.iter().any(|w| text.contains(w));
    any(&["社保", "缴纳", "断缴", "缴费"])
        && any(&["我", "这个月", "本月", "上个月"])
        && any(&["吗", "没有", "了没", "是否", "有没有", "状态"])
        && !any(&["怎么", "什么", "如何", "影响", "哪些", "多久", "可以", "能不能", "要不要"])
}

// ---------------------------------------------------------------------------------------
// BM25 index
// ---------------------------------------------------------------------------------------

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights: the question and the keywords say what an entry is about; the answer
/// helps with words a question shares only with it, but must not outweigh them.
const QUESTION_WEIGHT: f64 = 2.0;
const KEYWORD_WEIGHT: f64 = 2.0;
const ANSWER_WEIGHT: f64 = 0.5;

/// Below this the assistant says it has no good answer and offers 转人工.
pub const MIN_SCORE: f64 = 3.5;

pub fn is_good(m: &Match) -> bool {
    m.score >= MIN_SCORE
}

#[derive(Debug, Clone)]
struct Doc {
    id: String,
    tf: BTreeMap<String, f64>,
    len: f64,
}

/// The enabled entries of a FAQ, ready to be searched.
#[derive(Debug, Clone)]
pub struct Index {
    docs: Vec<Doc>,
    df: BTreeMap<String, usize>,
    avg_len: f64,
}

impl Index {
    pub fn new(entries: &[FaqEntry]) -> Index {
        let docs: Vec<Doc> = entries
            .iter()
            .filter(|e| e.enabled)
            .map(|e| {
                let mut doc = Doc { id: e.id.clone(), tf: BTreeMap::new(), len: 0.0 };
                let fields = [(e.question.as_str(), QUESTION_WEIGHT), (e.answer.as_str(), ANSWER_WEIGHT)];
                let keywords = e.keywords.iter().map(|k| (k.as_str(), KEYWORD_WEIGHT));
                for (text, weight) in fields.into_iter().chain(keywords) {
                    for t in tokens(text) {
                        *doc.tf.entry(t).or_insert(0.0) += weight;
                        doc.len += weight;
                    }
                }
                doc
            })
            .collect();
        let mut df = BTreeMap::new();
        for t in docs.iter().flat_map(|d| d.tf.keys()) {
            *df.entry(t.clone()).or_insert(0) += 1;
        }
        let total: f64 = docs.iter().map(|d| d.len).sum();
        let avg_len = (total / docs.len().max(1) as f64).max(f64::MIN_POSITIVE);
        Index { docs, df, avg_len }
    }

    /// The entries matching `query`, best first (ties by id), only those scoring above 0.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Match> {
        let mut terms = tokens(query);
        terms.sort();
        terms.dedup();
        let n = self.docs.len() as f64;
        let idf: Vec<(String, f64)> = terms
            .into_iter()
            .filter_map(|t| {
                let df = *self.df.get(&t)? as f64;
                Some((t, (1.0 + (n - df + 0.5) / (df + 0.5)).ln()))
            })
            .collect();
        let mut found: Vec<Match> = self
            .docs
            .iter()
            .map(|d| {
                let norm = K1 * (1.0 - B + B * d.len / self.avg_len);
                let score = idf
                    .iter()
                    .filter_map(|(t, idf)| d.tf.get(t).map(|tf| idf * tf * (K1 + 1.0) / (tf + norm)))
                    .sum::<f64>();
                Match { entry_id: d.id.clone(), score }
            })
            .filter(|m| m.score > 0.0)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entry_id.cmp(&b.entry_id)));
        found.truncate(limit);
        found
    }

    /// The best entry for `query` if it is good enough to answer with.
    pub fn best(&self, query: &str) -> Option<Match> {
        self.search(query, 1).into_iter().find(is_good)
    }
}

// ---------------------------------------------------------------------------------------
// Starter FAQ
// ---------------------------------------------------------------------------------------

// Sources: 《社会保险法》第五十八条 (registration within 30 days of hiring), 第八十六条 (late
// fee of 0.05% a day), 第四十五条 and 第五十条 (unemployment benefit); 《劳动合同法》第十九条
// (probation is part of the contract). Transfers and out-of-town care: the national social
// insurance and medical insurance service platforms. Everything else is how Shebao works.
type Row = (FaqCategory, &'static str, &'static [&'static str], &'static str);

/// The FAQ a new deployment starts with, ids "faq-01" onwards in this order.
pub fn starter_faq() -> Vec<FaqEntry> {
    use FaqCategory::*;
    const STARTER: &[Row] = &[
        (Enrollment, "入职后多久开始参保？", &["参保", "入职", "多久", "开始缴"],
         "《社会保险法》规定，单位应自用工之日起三十日内为您办理社保登记。人事一般在您入职当月或次月办理增员，办好后可在“我的社保”里看到参保记录。"),
        (Enrollment, "单位为什么要为我办理增员？", &["增员", "什么意思", "参保名单", "法定义务"],
         "增员就是单位把您加入本单位的参保名单，此后每月由单位申报缴纳社保，个人部分从工资中代扣。这是单位的法定义务，也是您享受医保报销、养老金等待遇的前提。"),
        (Enrollment, "试用期要不要交社保？", &["试用期", "社保", "转正", "合法"],
         "要。试用期包含在劳动合同期限内，单位应从用工之日起为您缴纳社保，不能因为是试用期就不交。"),
        (BackPayment, "什么是补缴？", &["补缴", "什么意思", "以前的月份", "没缴的月份"],
         "补缴是把过去应缴而未缴的月份补上，例如入职后增员办晚了。补缴由人事提交、主管审核后报送社保局，补缴后这些月份计入您的缴费记录；补缴期间的医保待遇能否追溯，以当地规定为准。"),
        (BackPayment, "补缴要多少钱？有滞纳金吗？", &["补缴", "多少钱", "滞纳金", "费用"],
         "补缴金额按所补月份的缴费基数和当地费率计算，单位和个人各付各的部分。因单位原因逾期的，按《社会保险法》第八十六条自欠缴之日起每日加收万分之五的滞纳金，由单位承担。"),
        (Reimbursement, "住院费用报销要准备哪些材料？", &["住院", "报销", "材料", "诊断证明", "出院小结", "发票"],
         "一般需要：诊断证明或出院小结、住院费用清单和发票、身份证复印件、本人银行卡（用于收款）。在“报销”里提交申请并上传这些材料的照片即可，各地要求略有不同，以页面提示为准。"),
        (Reimbursement, "门诊费用怎么报销？", &["门诊", "报销", "病历", "医保卡"],
         "门诊费用多数在医院刷医保卡时已直接结算。需要通过单位报销的，在“报销”里选择门诊，上传病历或诊断证明、费用清单和发票、身份证复印件。"),
        (Reimbursement, "报销款多久能到账？", &["报销", "到账", "多久", "进度"],
         "材料齐全、审核通过后，报销款会打到您登记的银行卡上，所需时间视审核和付款情况而定。每一步进度都可以在“报销”里查看。"),
        (Reimbursement, "报销申请为什么被暂停了？", &["报销", "暂停", "断缴", "恢复"],
         "提交报销时系统会检查您最近 3 个月的缴费，如果有月份逾期或断缴，申请会先暂停，并立即通知您和人事。人事处理好缴费后，申请会自动恢复，您不需要重新提交。"),
        (LatePayment, "社保没有按时缴纳怎么办？", &["社保延迟", "逾期", "没按时缴", "迟交"],
         "“我的社保”里显示某月逾期，说明单位当月还没缴上，负责的人事已收到提醒并在处理，补缴后记录会恢复正常，滞纳金由单位承担。如果长时间没有变化，可以转人工联系人事。"),
        (LatePayment, "单位逾期缴纳社保会影响我吗？", &["逾期", "影响", "单位", "待遇"],
         "及时补上的逾期一般不影响您的缴费年限，滞纳金也由单位承担。但逾期期间医保报销可能暂停，落户、购房等要求连续缴费的事项也可能受影响，所以人事会尽快补缴。"),
        (LatePayment, "什么是断缴？", &["断缴", "什么意思", "中断", "没缴"],
         "断缴是指某个月或连续几个月没有缴纳社保，缴费记录出现中断，常见于换工作的间隙或单位逾期未缴。断缴的月份可以按规定补缴接上。"),
        (LatePayment, "医保断缴了有什么影响？", &["断缴", "医疗保险", "就医", "等待期"],
         "医保断缴后，一般从次月起暂停享受医保待遇，看病不能正常报销。断缴时间短的，及时补缴后一般可以接续；断缴较久的，重新参保后可能有一段等待期，以当地规定为准。"),
        (MovingCities, "换城市工作后社保怎么转移？", &["转移", "换城市", "外地", "接续"],
         "在新城市参保后，养老保险可通过国家社会保险公共服务平台或“掌上12333”App 申请转移，医保可通过国家医保服务平台 App 申请转移接续，原来的缴费记录会转过去。"),
        (MovingCities, "在外地看病怎么办理异地就医备案？", &["异地", "备案", "外地", "就医"],
         "长期在外地工作居住或去外地住院的，先在国家医保服务平台 App 或参保地医保经办机构办理异地就医备案，备案后在定点医院可直接结算。没有备案的，费用一般先自付，回参保地报销，比例可能更低。"),
        (LeavingJob, "离职以后社保怎么处理？", &["离职", "辞职后社保", "减员", "灵活就业"],
         "离职后单位会为您办理减员，停止缴纳。到新单位后由新单位参保；暂时没有工作的，可以按当地规定以灵活就业人员身份自己缴纳养老和医保，避免断缴。"),
        (LeavingJob, "离职那个月的社保由哪家单位交？", &["那个月", "当月", "哪家单位", "新单位", "最后一个月"],
         "通常由原单位缴纳离职当月的社保，次月起减员停缴；新单位从入职当月或次月开始缴纳，具体以两家单位的办理时间为准。如果发现某个月两边都没缴，请转人工联系人事。"),
        (LeavingJob, "失业保险金怎么领取？", &["失业保险金", "失业金", "领取", "失业登记"],
         "按《社会保险法》第四十五条，需同时满足：失业前单位和本人已缴失业保险满一年、非因本人意愿中断就业（主动辞职一般不能领）、已办理失业登记并有求职要求。凭单位出具的解除劳动合同证明，到当地社保经办机构或线上平台申领。"),
        (Other, "社保缴费基数是怎么确定的？", &["基数", "缴费基数", "工资", "上限", "下限"],
         "缴费基数一般按您上一年度的月平均工资确定（新入职按起始工资），并限制在当地公布的下限和上限之间：低于下限按下限，高于上限按上限。“我的社保”里能看到您的基数以及是否按上下限调整过。"),
        (Other, "觉得缴费基数不对，可以申请调整吗？", &["基数", "调整", "复核", "不对", "算错"],
         "可以。在“我的社保”→“申请基数复核”里写明原因（例如工资已调整），人事核对后处理并通知您结果。基数不能由员工自己修改。"),
        (Other, "怎么更换报销用的银行卡？", &["银行卡", "修改", "收款", "卡号"],
         "在“我的社保”→“修改银行卡”里填写新卡信息并提交，人事审核通过后生效；审核通过前仍使用原来的卡。"),
        (Other, "社保缴费证明在哪里下载？", &["缴费证明", "证明", "下载", "开具"],
         "在“我的社保”→“下载缴费证明”即可下载，可用于办理签证、落户、购房等。也可以通过当地社保局网站或“掌上12333”App 打印。"),
        (Other, "手机号或地址变了怎么修改？", &["联系方式", "手机号", "地址", "修改"],
         "在“我的社保”→“个人信息”里修改手机号、邮箱或地址并提交，人事审核通过后生效。"),
        (Other, "怎么联系人事或转人工？", &["人工", "人事", "hr", "联系", "找人"],
         "点击“转人工”，您的问题会转给负责您的人事专员，他们会在工作时间回复您。这里找不到答案时也可以这样做。"),
        (Other, "在哪里查看自己的缴费记录？", &["缴费记录", "查看", "每个月", "缴纳多少", "明细"],
         "在“我的社保”→“缴费记录”里可以看到最近 6 个月及更早的每月缴费明细和状态（正常、逾期、断缴）。"),
    ];
    STARTER
        .iter()
        .enumerate()
        .map(|(i, (category, question, keywords, answer))| FaqEntry {
            id: format!("faq-{:02}", i + 1),
            question: (*question).to_owned(),
            answer: (*answer).to_owned(),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            category: *category,
            enabled: true,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The employee's own record
// ---------------------------------------------------------------------------------------

/// One month of the employee's record in a plain sentence: "您 2026-11 的社保：断缴（截止日
/// 2026-11-25 未缴纳）。…". Dates are YYYY-MM-DD as stored.
pub fn own_status_answer(
    period: &str,
    status: ContributionStatus,
    due: &str,
    paid_on: Option<&str>,
    receipt: Option<&str>,
    lang: Lang,
) -> String {
    let paid: Vec<String> = [
        paid_on.map(|p| lang.pick(format!("{p} 缴纳"), format!("paid on {p}"))),
        receipt.map(|r| lang.pick(format!("回执号 {r}"), format!("receipt {r}"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let paid = match (paid.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("（{}）", paid.join("，")),
        (false, Lang::En) => format!(" ({})", paid.join(", ")),
    };
    match status {
        ContributionStatus::Normal => lang.pick(
            format!("您 {period} 的社保已正常缴纳{paid}。"),
            format!("Your social insurance for {period} was paid on time{paid}."),
        ),
        ContributionStatus::Late => lang.pick(
            format!("您 {period} 的社保已缴纳，但晚于截止日 {due}{paid}，滞纳金由单位承担。"),
            format!("Your social insurance for {period} was paid after the deadline, {due}{paid}; the company bears the late fee."),
        ),
        ContributionStatus::Lapsed => lang.pick(
            format!("您 {period} 的社保：断缴（截止日 {due} 未缴纳）。单位补缴后会恢复正常，滞纳金由单位承担；如有疑问，可以转人工联系人事。"),
            format!(
                "Your social insurance for {period}: lapsed (not paid by the deadline, {due}). It is back to normal once \
                 the company pays it, and the company bears the late fee; for questions, hand over to HR."
            ),
        ),
        ContributionStatus::Open => lang.pick(
            format!("您 {period} 的社保尚未缴纳，缴费截止日是 {due}，还未到期。"),
            format!("Your social insurance for {period} is not paid yet; the deadline, {due}, has not come."),
        ),
    }
}

/// The answer to "我的社保交了吗" from the employee's newest months (newest first). A month
/// whose deadline has not come (open) does not say whether the company pays, so then the
/// answer is about the month before it, and the open month follows in the text.
pub fn own_status(months: &[ContributionMonth], lang: Lang) -> Option<OwnStatus> {
    let sentence = |m: &ContributionMonth| {
        own_status_answer(&m.period, m.status, &m.due_date, m.paid_on.as_deref(), m.receipt_no.as_deref(), lang)
    };
    let newest = months.first()?;
    let (about, text) = match months.get(1) {
        Some(before) if newest.status == ContributionStatus::Open => {
            (before, format!("{}{}{}", sentence(before), lang.pick("", " "), sentence(newest)))
        }
        _ => (newest, sentence(newest)),
    };
    Some(OwnStatus { period: about.period.clone(), status: about.status, text })
}

// ---------------------------------------------------------------------------------------
// What people type
// ---------------------------------------------------------------------------------------

pub const QUERY_CHARS: (usize, usize) = (1, 200);
pub const FAQ_QUESTION_CHARS: (usize, usize) = (4, 100);
pub const FAQ_ANSWER_CHARS: (usize, usize) = (10, 1000);
pub const MAX_KEYWORDS: usize = 10;
pub const KEYWORD_CHARS: (usize, usize) = (1, 20);
pub const TICKET_QUESTION_CHARS: (usize, usize) = (4, 500);
pub const TICKET_ANSWER_CHARS: (usize, usize) = (2, 1000);

/// `raw` trimmed, if its length in characters is within `(min, max)`.
fn text_field(raw: &str, field: &str, (min, max): (usize, usize), (zh, en): (&str, &str)) -> Result<String, FieldError> {
    let text = raw.trim();
    if (min..=max).contains(&text.chars().count()) {
        return Ok(text.to_owned());
    }
    let (code, message_zh, message_en) = if text.is_empty() {
        ("required", format!("请输入{zh}"), format!("Enter the {en}"))
    } else {
        ("length", format!("{zh}须为 {min}–{max} 个字"), format!("The {en} takes {min} to {max} characters"))
    };
    Err(FieldError::new(field, &format!("help.{field}_{code}"), message_zh, message_en))
}

/// The question asked of the assistant (`GET /api/help?q=`), trimmed.
pub fn query(raw: &str) -> Result<String, FieldError> {
    text_field(raw, "q", QUERY_CHARS, ("问题", "question"))
}

/// A question handed over to HR (转人工), trimmed.
pub fn ticket_question(raw: &str) -> Result<String, FieldError> {
    text_field(raw, "question", TICKET_QUESTION_CHARS, ("问题", "question"))
}

/// HR's answer to a ticket, trimmed.
pub fn ticket_answer(raw: &str) -> Result<String, FieldError> {
    text_field(raw, "answer", TICKET_ANSWER_CHARS, ("回复内容", "answer"))
}

/// The FAQ form as typed (`POST /api/faq`; `PATCH /api/faq/{id}` adds the version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaqInput {
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
    /// A `FaqCategory` code.
    pub category: String,
    pub enabled: bool,
}

impl Default for FaqInput {
    /// A new entry is live unless the editor says otherwise.
    fn default() -> Self {
        FaqInput { question: String::new(), answer: String::new(), keywords: Vec::new(), category: String::new(), enabled: true }
    }
}

impl FaqInput {
    /// The entry `id` as the form describes it, trimmed (keywords also without repeats), or
    /// every field's error.
    pub fn parse(&self, id: &str) -> Result<FaqEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let question = text_field(&self.question, "question", FAQ_QUESTION_CHARS, ("问题", "question"));
        let answer = text_field(&self.answer, "answer", FAQ_ANSWER_CHARS, ("答案", "answer"));
        let question = question.map_err(|e| errors.push(e)).ok();
        let answer = answer.map_err(|e| errors.push(e)).ok();
        let mut keywords: Vec<String> = Vec::new();
        if self.keywords.len() > MAX_KEYWORDS {
            errors.push(FieldError::new(
                "keywords",
                "help.keywords_count",
                format!("关键词最多 {MAX_KEYWORDS} 个"),
                format!("At most {MAX_KEYWORDS} keywords"),
            ));
        } else if let Some(bad) = self.keywords.iter().find(|k| !(KEYWORD_CHARS.0..=KEYWORD_CHARS.1).contains(&k.trim().chars().count())) {
            errors.push(FieldError::new(
                "keywords",
                "help.keyword_length",
                format!("关键词“{}”须为 {}–{} 个字", bad.trim(), KEYWORD_CHARS.0, KEYWORD_CHARS.1),
                format!("The keyword \"{}\" takes {} to {} characters", bad.trim(), KEYWORD_CHARS.0, KEYWORD_CHARS.1),
            ));
        } else {
            for k in &self.keywords {
                let k = k.trim().to_owned();
                if !keywords.contains(&k) {
                    keywords.push(k);
                }
            }
        }
        let category = FaqCategory::from_code(&self.category);
        if category.is_none() {
            errors.push(FieldError::new("category", "help.category", "请选择分类", "Choose a category"));
        }
        match (question, answer, category) {
            (Some(question), Some(answer), Some(category)) if errors.is_empty() => {
                Ok(FaqEntry { id: id.to_owned(), question, answer, keywords, category, enabled: self.enabled })
            }
            _ => Err(errors),
        }
    }
}

/// A text cut to `max` characters, with "…" when it was longer (a notification's excerpt).
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// Tickets (转人工) and who may do what
// ---------------------------------------------------------------------------------------

/// A question handed over to HR: open until someone answers it, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Open,
    Answered,
}

impl TicketState {
    pub fn code(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::Answered => "answered",
        }
    }

    pub fn from_code(code: &str) -> Option<TicketState> {
        [TicketState::Open, TicketState::Answered].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TicketState::Open => lang.pick("待回复", "Awaiting an answer"),
            TicketState::Answered => lang.pick("已回复", "Answered"),
        }
    }
}

/// Who may read the whole FAQ, disabled entries too: HR and the administrators.
pub fn may_read_faq(role: Role) -> bool {
    matches!(role, Role::HrSpecialist | Role::HrSupervisor | Role::HrManager | Role::Director | Role::Admin)
}

/// Who maintains the FAQ. The director reads it but leaves the wording to HR.
pub fn may_edit_faq(role: Role) -> bool {
    matches!(role, Role::HrSpecialist | Role::HrSupervisor | Role::HrManager | Role::Admin)
}

/// The branch's HR: told of each ticket of its employees, and answer them.
pub const BRANCH_HR: [Role; 2] = [Role::HrSpecialist, Role::HrSupervisor];

/// Whose tickets a role works on: the branch's HR their branch's, group HR (the HR manager,
/// the director) every branch's; None: only one's own.
pub fn ticket_scope(role: Role) -> Option<Scope> {
    match role {
        Role::HrSpecialist | Role::HrSupervisor => Some(Scope::Branch),
        Role::HrManager | Role::Director => Some(Scope::Group),
        Role::Employee | Role::Finance | Role::Admin => None,
    }
}

/// Whether the user may answer a ticket of `ticket_branch`.
pub fn may_answer_ticket(role: Role, user_branch: Option<&str>, ticket_branch: &str) -> bool {
    match ticket_scope(role) {
        Some(Scope::Branch) => user_branch == Some(ticket_branch),
        Some(Scope::Group) => true,
        Some(Scope::Own) | None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A typical employee phrasing for every starter entry, worded differently from it.
    const ASKED: &[(&str, &str)] = &[
        ("刚入职公司多久给我交社保", "faq-01"), ("公司给我增员是什么意思", "faq-02"),
        ("试用期公司不给交五险合法吗", "faq-03"), ("补缴是什么意思", "faq-04"),
        ("补交社保要交滞纳金吗", "faq-05"), ("住院报销需要哪些材料？", "faq-06"),
        ("门诊看病能报销吗", "faq-07"), ("报销的钱什么时候到账", "faq-08"),
        ("我的报销怎么被暂停了", "faq-09"), ("社保延迟了怎么办？", "faq-10"),
        ("公司晚交社保对我有影响吗", "faq-11"), ("断缴是什么意思", "faq-12"),
        ("医保断了还能看病吗", "faq-13"), ("去别的城市工作社保能转过去吗", "faq-14"),
        ("异地就医要备案吗", "faq-15"), ("我辞职了社保怎么办", "faq-16"),
        ("离职当月社保谁交", "faq-17"), ("失业金怎么领", "faq-18"),
        ("缴费基数按什么算", "faq-19"), ("我的基数算错了能改吗", "faq-20"),
        ("工资卡换了怎么改", "faq-21"), ("怎么开社保缴费证明", "faq-22"),
        ("换手机号了在哪改", "faq-23"), ("我要找人工客服", "faq-24"),
        ("我想看看每个月交了多少社保", "faq-25"),
    ];

    fn index() -> &'static Index {
        static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
        INDEX.get_or_init(|| Index::new(&starter_faq()))
    }

    #[test]
    fn every_entry_is_found_by_an_employee_phrasing_and_by_its_own_question() {
        let faq = starter_faq();
        let index = index();
        assert_eq!(ASKED.len(), faq.len());
        for (question, id) in ASKED {
            let best = index.best(question);
            assert_eq!(best.as_ref().map(|m| m.entry_id.as_str()), Some(*id), "{question}");
        }
        for entry in &faq {
            let best = index.best(&entry.question);
            assert_eq!(best.map(|m| m.entry_id), Some(entry.id.clone()), "{}", entry.question);
        }
    }

    #[test]
    fn unrelated_questions_get_no_good_answer() {
        let index = index();
        for q in ["今天天气怎么样", "推荐一家餐厅", "hello", "明天几点开会", "工资什么时候发", "", "？？！"] {
            assert_eq!(index.best(q), None, "{q}");
        }
        assert!(index.search("hello", 5).is_empty());
    }

    #[test]
    fn disabled_entries_are_never_returned() {
        let mut faq = starter_faq();
        faq[5].enabled = false;
        let index = Index::new(&faq);
        for q in ["住院报销需要哪些材料？", &faq[5].question, "住院 报销 材料 诊断证明 发票"] {
            assert!(index.search(q, 50).iter().all(|m| m.entry_id != "faq-06"), "{q}");
        }
        assert!(Index::new(&[]).search("住院报销", 5).is_empty());
    }

    #[test]
    fn tokens_are_bigrams_after_synonyms_and_normalisation() {
        assert_eq!(tokens("报销材料"), ["报销", "销材", "材料"]);
        // Punctuation ends a run; a lone character is a unigram; ASCII words stay whole.
        assert_eq!(tokens("住院，卡 HR2024"), ["住院", "卡", "hr2024"]);
        // Full-width letters, digits and punctuation become half-width.
        assert_eq!(tokens("ＨＲ１２３３３？"), ["hr12333"]);
        // Synonyms, longest phrase first: 交了 is not 交 + 了, 提交 keeps its 交.
        assert_eq!(tokens("五险晚交"), ["社保", "保逾", "逾期"]);
        assert_eq!(tokens("辞职"), tokens("离职"));
        assert_eq!(canonical("交了吗"), "缴纳吗");
        assert_eq!(canonical("提交"), "提交");
        // Question words and particles carry no topic.
        assert_eq!(tokens("我的报销怎么办？"), ["报销"]);
        assert!(tokens("怎么办？").is_empty());
    }

    #[test]
    fn own_status_questions_are_recognised() {
        for q in ["我的社保交了吗", "这个月社保缴了没有", "我的社保正常吗", "我有没有断缴", "我的社保状态"] {
            assert!(asks_own_status(q), "{q}");
        }
        let faq_questions = ["住院报销需要哪些材料", "什么是断缴", "我辞职了社保怎么办", "试用期要不要交社保"];
        for q in faq_questions.into_iter().chain(["单位逾期缴纳社保会影响我吗", "我的社保怎么转移"]) {
            assert!(!asks_own_status(q), "{q}");
        }
    }

    #[test]
    fn categories_round_trip() {
        for c in FaqCategory::ALL {
            assert_eq!(FaqCategory::from_code(c.code()), Some(c));
            assert_eq!(serde_json::to_string(&c).ok(), Some(format!("\"{}\"", c.code())));
            assert!(!c.label(Lang::Zh).is_empty() && !c.label(Lang::En).is_empty());
        }
        assert_eq!(FaqCategory::from_code("nope"), None);
    }

    #[test]
    fn the_starter_faq_is_well_formed() {
        let faq = starter_faq();
        assert!(faq.len() >= 22);
        for (i, e) in faq.iter().enumerate() {
            assert_eq!(e.id, format!("faq-{:02}", i + 1));
            assert!((3..=6).contains(&e.keywords.len()), "{}", e.id);
            assert!(e.enabled && !e.question.is_empty() && !e.answer.is_empty());
        }
        for c in FaqCategory::ALL {
            assert!(faq.iter().any(|e| e.category == c), "{c:?}");
        }
    }

    fn month(period: &str, status: ContributionStatus, paid_on: Option<&str>, receipt: Option<&str>) -> ContributionMonth {
        ContributionMonth {
            period: period.into(),
            run_id: format!("run-br-beijing-{period}"),
            status,
            status_label: status.label(Lang::Zh).into(),
            due_date: format!("{period}-25"),
            paid_on: paid_on.map(Into::into),
            receipt_no: receipt.map(Into::into),
            lines: Vec::new(),
            employer_total: rust_decimal::Decimal::ZERO,
            employee_total: rust_decimal::Decimal::ZERO,
        }
    }

    #[test]
    fn a_month_of_the_record_in_one_sentence() {
        use ContributionStatus::*;
        assert_eq!(
            own_status_answer("2026-11", Lapsed, "2026-11-25", None, None, Lang::Zh),
            "您 2026-11 的社保：断缴（截止日 2026-11-25 未缴纳）。单位补缴后会恢复正常，滞纳金由单位承担；如有疑问，可以转人工联系人事。"
        );
        assert_eq!(
            own_status_answer("2026-10", Normal, "2026-10-26", Some("2026-10-23"), Some("SIM-2026-10-br-beijing"), Lang::Zh),
            "您 2026-10 的社保已正常缴纳（2026-10-23 缴纳，回执号 SIM-2026-10-br-beijing）。"
        );
        assert_eq!(
            own_status_answer("2026-10", Late, "2026-10-15", Some("2026-10-27"), None, Lang::En),
            "Your social insurance for 2026-10 was paid after the deadline, 2026-10-15 (paid on 2026-10-27); the company bears the late fee."
        );
        assert!(own_status_answer("2026-12", Open, "2026-12-25", None, None, Lang::Zh).contains("缴费截止日是 2026-12-25"));
    }

    #[test]
    fn the_own_status_is_about_the_newest_month_that_can_be_judged() {
        use ContributionStatus::*;
        let lapsed = month("2026-11", Lapsed, None, None);
        let open = month("2026-12", Open, None, None);
        let answer = own_status(&[open.clone(), lapsed.clone()], Lang::Zh).unwrap();
        assert_eq!((answer.period.as_str(), answer.status), ("2026-11", Lapsed));
        assert!(answer.text.starts_with("您 2026-11 的社保：断缴") && answer.text.ends_with("还未到期。"), "{}", answer.text);
        // A settled newest month is the answer by itself; an open one alone is still said.
        let paid = month("2026-12", Normal, Some("2026-12-20"), Some("R1"));
        let answer = own_status(&[paid, lapsed], Lang::Zh).unwrap();
        assert_eq!((answer.period.as_str(), answer.status), ("2026-12", Normal));
        assert_eq!(own_status(&[open], Lang::Zh).map(|a| a.status), Some(Open));
        assert_eq!(own_status(&[], Lang::Zh), None);
    }

    fn form() -> FaqInput {
        FaqInput {
            question: " 年假期间社保怎么缴？ ".into(),
            answer: "年假期间劳动关系不变，单位照常为您缴纳社保。".into(),
            keywords: vec!["年假".into(), " 年假 ".into(), "休假".into()],
            category: "other".into(),
            enabled: true,
        }
    }

    #[test]
    fn the_faq_form_is_trimmed_and_checked_field_by_field() {
        let entry = form().parse("faq-x").unwrap();
        assert_eq!(entry.question, "年假期间社保怎么缴？");
        assert_eq!(entry.keywords, ["年假", "休假"]);
        assert_eq!((entry.id.as_str(), entry.category, entry.enabled), ("faq-x", FaqCategory::Other, true));
        let codes = |f: FaqInput| f.parse("x").unwrap_err().into_iter().map(|e| e.code).collect::<Vec<_>>();
        let bad = FaqInput { question: "社保".into(), answer: "太短".into(), category: "nope".into(), ..form() };
        assert_eq!(codes(bad), ["help.question_length", "help.answer_length", "help.category"]);
        assert_eq!(codes(FaqInput { keywords: vec!["词".into(); MAX_KEYWORDS + 1], ..form() }), ["help.keywords_count"]);
        assert_eq!(codes(FaqInput { keywords: vec![" ".into()], ..form() }), ["help.keyword_length"]);
        assert_eq!(codes(FaqInput { keywords: vec!["长".repeat(21)], ..form() }), ["help.keyword_length"]);
        assert_eq!(codes(FaqInput { question: String::new(), ..form() }), ["help.question_required"]);
        // Left out of the body, an entry is enabled.
        let typed: FaqInput = serde_json::from_str(r#"{"question": "x"}"#).unwrap();
        assert!(typed.enabled && typed.keywords.is_empty());
    }

    #[test]
    fn questions_and_answers_have_their_lengths() {
        assert_eq!(query("  住院报销  ").as_deref(), Ok("住院报销"));
        assert_eq!(query(" ").map_err(|e| (e.field, e.code)), Err(("q".into(), "help.q_required".into())));
        assert!(query(&"问".repeat(200)).is_ok());
        assert_eq!(query(&"问".repeat(201)).map_err(|e| e.code), Err("help.q_length".into()));
        assert!(ticket_question("怎么办").is_err() && ticket_question("离职证明找谁开").is_ok());
        assert!(ticket_question(&"问".repeat(501)).is_err());
        assert!(ticket_answer("好").is_err() && ticket_answer("已处理").is_ok());
        assert!(ticket_answer(&"答".repeat(1001)).is_err());
        assert_eq!(excerpt("住院报销材料", 4), "住院报销…");
        assert_eq!(excerpt("住院报销", 4), "住院报销");
    }

    #[test]
    fn the_faq_is_hr_s_and_tickets_stay_in_their_branch() {
        for role in Role::ALL {
            // Whoever edits the FAQ may read it, and employees do neither.
            assert!(!may_edit_faq(role) || may_read_faq(role), "{role:?}");
            // The branch's HR told of a ticket are the ones who work on the branch's.
            assert_eq!(BRANCH_HR.contains(&role), ticket_scope(role) == Some(Scope::Branch), "{role:?}");
        }
        assert!(!may_read_faq(Role::Employee) && !may_read_faq(Role::Finance));
        assert!(may_read_faq(Role::Director) && !may_edit_faq(Role::Director));
        assert!(may_answer_ticket(Role::HrSpecialist, Some("br-beijing"), "br-beijing"));
        assert!(!may_answer_ticket(Role::HrSupervisor, Some("br-shanghai"), "br-beijing"));
        assert!(!may_answer_ticket(Role::HrSupervisor, None, "br-beijing"));
        assert!(may_answer_ticket(Role::HrManager, None, "br-beijing") && may_answer_ticket(Role::Director, None, "br-beijing"));
        for role in [Role::Employee, Role::Finance, Role::Admin] {
            assert!(!may_answer_ticket(role, Some("br-beijing"), "br-beijing"), "{role:?}");
        }
        for s in [TicketState::Open, TicketState::Answered] {
            assert_eq!(TicketState::from_code(s.code()), Some(s));
        }
    }

    proptest! {
        #[test]
        fn search_is_total_and_sorted(
            // Any text, and text made of the FAQ's own words so that entries do score.
            query in prop_oneof!["\\PC{0,40}", "[报销社保缴费逾期离职住院材料转移的吗？ａ-ｚ0-9 ]{0,24}"],
            limit in 0usize..30,
        ) {
            let found = index().search(&query, limit);
            prop_assert!(found.len() <= limit);
            prop_assert!(found.iter().all(|m| m.score.is_finite() && m.score > 0.0));
            prop_assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        }
    }
}

using Supervision.Domain.Vendors;

namespace Supervision.Domain.Selection;

/// <summary>
/// The default selection criteria: the examples of 1-5 and the points its survey found operators weigh.
/// Weights add up to 100 and follow the survey's order of importance where it gives one: certifications (38.8 %)
/// and organisational safeguards (34.3 %) weigh most; the safeguards criterion also covers physical (9.0 %) and
/// technical (8.2 %) measures, 2-3 requiring both kinds; training (5.2 %) and past incidents (4.5 %) weigh less.
/// The six examples of 1-5's first list (policy, organisation, access, logs, training, audit) carry 8 to 12 each,
/// access control and its records being what 2-3 calls technical protection.
/// </summary>
public static class DefaultSelectionCriteria
{
    private static Question YesNo(string id, string ja, string en) => new(id, ja, en, QuestionKind.YesNo);

    private static Question Text(string id, string ja, string en, bool required = false) => new(id, ja, en, QuestionKind.Text, required);

    private static Question Date(string id, string ja, string en) => new(id, ja, en, QuestionKind.Date, Required: false);

    private static Dictionary<string, string> Favourable(params (string QuestionId, string Answer)[] answers) =>
        answers.ToDictionary(pair => pair.QuestionId, pair => pair.Answer, StringComparer.Ordinal);

    /// <summary>Version 2027.1, in force from 2027-04-01.</summary>
    public static SelectionCriteria V1 { get; } = new(
        "2027.1",
        new DateOnly(2027, 4, 1),
        [
            new Criterion(
                "privacy-policy", "個人情報保護方針", "Privacy policy", 8, CriterionKind.PrivacyPolicy,
                [
                    YesNo("privacy-policy.published", "個人情報保護方針を定め、公表していますか。", "Have you adopted and published a privacy policy?"),
                    Text("privacy-policy.location", "公表している場所（URL等）をご記入ください。", "Where is it published (URL or similar)?"),
                ],
                [new EvidenceRequest("privacy-policy", "個人情報保護方針の写し", "A copy of the privacy policy")])
            {
                FavourableAnswers = Favourable(("privacy-policy.published", "yes")),
                BlockingAnswers = [new BlockingAnswer("privacy-policy.published", "no-privacy-policy", "no privacy policy")],
            },
            new Criterion(
                "management", "管理組織・管理責任者", "Management organisation and named manager", 10, CriterionKind.Management,
                [
                    YesNo("management.organisation", "個人情報を管理する組織（委員会、担当部署等）を設けていますか。", "Do you have an organisation (committee, department) that manages personal information?"),
                    YesNo("management.manager-appointed", "個人情報の管理責任者を任命していますか。", "Have you appointed a manager responsible for personal information?"),
                    Text("management.manager-name", "管理責任者の氏名と役職をご記入ください。", "Name and title of that manager.", required: true),
                    new(CertificateAnswers.SubcontractingIntended, "この業務の一部を再委託する予定がありますか。", "Do you intend to subcontract part of this work?", QuestionKind.YesNo, Required: false),
                ],
                [new EvidenceRequest("organisation-chart", "個人情報の管理体制図", "A chart of the personal-information management organisation")])
            {
                FavourableAnswers = Favourable(("management.organisation", "yes"), ("management.manager-appointed", "yes")),
                BlockingAnswers = [new BlockingAnswer("management.manager-appointed", "no-named-manager", "no named manager responsible for personal information")],
            },
            new Criterion(
                "access-control", "利用者の限定と利用形態", "Who may use each dataset, and how", 12, CriterionKind.AccessControl,
                [
                    YesNo("access.restricted", "個人情報ごとに、利用できる者を限定していますか。", "Is each set of personal information restricted to named users?"),
                    YesNo("access.operations-defined", "利用形態（参照・更新・追加・削除）ごとの権限を規程で定めていますか。", "Do your rules define who may read, update, add and delete?"),
                    Text("access.review", "権限の付与と見直しの方法をご説明ください。", "How are permissions granted and reviewed?"),
                ],
                [new EvidenceRequest("access-rules", "アクセス権限に関する規程", "Your rules on access permissions")])
            {
                FavourableAnswers = Favourable(("access.restricted", "yes"), ("access.operations-defined", "yes")),
                BlockingAnswers = [new BlockingAnswer("access.restricted", "access-not-restricted", "access to personal information is not restricted to named users")],
            },
            new Criterion(
                "access-log", "アクセス記録の収集と確認", "Access-log collection and review", 10, CriterionKind.AccessLog,
                [
                    YesNo("access-log.collected", "個人情報へのアクセス記録（ログ）を取得していますか。", "Do you record access to personal information (access logs)?"),
                    YesNo("access-log.reviewed", "取得したアクセス記録を定期的に確認していますか。", "Are those logs reviewed regularly?"),
                    Text("access-log.retention", "アクセス記録の保存期間をご記入ください。", "How long are access logs kept?"),
                ],
                [])
            {
                FavourableAnswers = Favourable(("access-log.collected", "yes"), ("access-log.reviewed", "yes")),
            },
            new Criterion(
                "training", "従業者への教育", "Staff training", 8, CriterionKind.Training,
                [
                    YesNo("training.regular", "従業者に対して、個人情報保護の教育を定期的に実施していますか。", "Do you train your staff in personal-information protection regularly?"),
                    Date("training.last-held", "直近の教育の実施日をご記入ください。", "When was the latest training held?"),
                ],
                [new EvidenceRequest("training-plan", "教育計画と直近の実施記録", "The training plan and the record of the latest session")])
            {
                FavourableAnswers = Favourable(("training.regular", "yes")),
            },
            new Criterion(
                "internal-audit", "監査の実施", "Internal audit", 8, CriterionKind.InternalAudit,
                [
                    YesNo("audit.conducted", "個人情報の取扱いについて、内部監査を定期的に実施していますか。", "Do you audit your handling of personal information regularly?"),
                    Date("audit.last-held", "直近の監査の実施日をご記入ください。", "When was the latest audit?"),
                ],
                [new EvidenceRequest("audit-report", "直近の監査報告書（概要で可）", "The latest audit report (a summary will do)")])
            {
                FavourableAnswers = Favourable(("audit.conducted", "yes")),
            },
            new Criterion(
                "certification", "認証の取得状況", "Certifications", 14, CriterionKind.Certification,
                [
                    YesNo("certification.held", "プライバシーマークまたはISMS（ISO/IEC 27001）認証を取得していますか。", "Do you hold the Privacy Mark or an ISMS (ISO/IEC 27001) certificate?"),
                    Date(CertificateAnswers.PrivacyMarkIssued, "プライバシーマークの有効期間の開始日（取得している場合）", "Privacy Mark: first day of validity (if held)"),
                    Date(CertificateAnswers.PrivacyMarkExpires, "プライバシーマークの有効期限（取得している場合）", "Privacy Mark: expiry (if held)"),
                    Text(CertificateAnswers.IsmsEdition, "ISMS認証の規格と版（例：ISO/IEC 27001:2022）", "ISMS: standard and edition (e.g. ISO/IEC 27001:2022)"),
                    Date(CertificateAnswers.IsmsIssued, "ISMS認証の登録日（取得している場合）", "ISMS: date of certification (if held)"),
                    Date(CertificateAnswers.IsmsExpires, "ISMS認証の有効期限（取得している場合）", "ISMS: expiry (if held)"),
                ],
                [new EvidenceRequest("certificates", "登録証・認証書の写し", "Copies of the certificates")]),
            new Criterion(
                "safeguards", "組織的・物理的・技術的安全管理措置", "Organisational, physical and technical safeguards", 20, CriterionKind.Safeguards,
                [
                    YesNo("safeguards.organisational", "組織的安全管理措置（責任と権限の明確化、取扱規程の整備と遵守、従業者との秘密保持契約）を講じていますか。", "Do you have organisational safeguards (clear duties and authority, handling rules that are followed, confidentiality agreements with staff)?"),
                    YesNo("safeguards.physical", "物理的安全管理措置（入退室の管理、施錠できる保管庫、書類・媒体の持出しの制限）を講じていますか。", "Do you have physical safeguards (entry control, lockable storage, limits on taking papers and media out)?"),
                    YesNo("safeguards.technical", "技術的安全管理措置（アクセス制御、不正アクセスの防止、通信や媒体の暗号化）を講じていますか。", "Do you have technical safeguards (access control, protection from unauthorised access, encryption in transit and on media)?"),
                ],
                [new EvidenceRequest("handling-rules", "個人情報取扱規程", "Your rules for handling personal information")])
            {
                FavourableAnswers = Favourable(("safeguards.organisational", "yes"), ("safeguards.physical", "yes"), ("safeguards.technical", "yes")),
            },
            new Criterion(
                "incident-history", "過去の漏えい事故の発生状況", "Past leak incidents", 10, CriterionKind.IncidentHistory,
                [
                    YesNo("incidents.past-five-years", "過去5年間に、個人情報の漏えい、滅失またはき損の事故が発生したことがありますか。", "Have you had a leak, loss or damage of personal information in the past five years?"),
                    Text("incidents.details", "発生したことがある場合は、その概要と再発防止策をご記入ください。", "If so, what happened and what was done to prevent it again?"),
                ],
                [])
            {
                FavourableAnswers = Favourable(("incidents.past-five-years", "no")),
            },
        ]);
}

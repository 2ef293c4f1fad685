using Supervision.Domain.Common;
using Supervision.Domain.Vendors;

namespace Supervision.Vendors;

/// <summary>Every word the vendor pages say, in Japanese and English.</summary>
public static class VendorPageText
{
    private static readonly Dictionary<string, string> Ja = new(StringComparer.Ordinal)
    {
        ["lang"] = "ja",
        ["other_lang"] = "en",
        ["other_lang_name"] = "English",
        ["page_title"] = "ご提出のお願い",
        ["intro"] = "委託元からのご依頼です。以下の内容をご確認のうえ、ご回答と資料のご提出をお願いいたします。",
        ["due"] = "ご提出期限",
        ["questions"] = "ご質問",
        // The words of each closed choice are kept under the choice itself (AnswerRules.Choices).
        ["yes"] = "はい",
        ["no"] = "いいえ",
        ["save_answers"] = "回答を保存する",
        ["answers_saved"] = "回答を保存しました。",
        ["answered"] = "問 回答済み",
        ["progress"] = "回答の進み具合",
        ["required_note"] = "* の付いたご質問は必須です。",
        ["answer_required"] = "このご質問にご回答ください。",
        ["answer_invalid"] = "ご回答の形式が正しくありません。",
        ["answers_refused"] = "回答を保存できませんでした。表示された箇所をご確認ください。ご入力内容はそのまま残っています。",
        ["evidence"] = "ご提出いただく資料",
        ["upload"] = "ファイルをアップロードする",
        ["upload_hint"] = "PDF、PNG、JPEG、Word / Excel / PowerPoint 形式のみ受け付けます。",
        ["uploaded"] = "受領済みの資料",
        ["accepted"] = "受領しました",
        ["rejected"] = "受け付けられませんでした",
        ["checking"] = "確認中…",
        ["submit"] = "提出を完了する",
        ["submitted"] = "ご提出ありがとうございました。このリンクは無効になりました。",
        ["error_title"] = "このリンクはご利用いただけません",
        ["Malformed"] = "リンクが正しくありません。メールに記載されたリンクを、途中で切れていないか確認のうえ、そのまま開いてください。",
        ["Tampered"] = "リンクが正しくありません。メールに記載されたリンクを、途中で切れていないか確認のうえ、そのまま開いてください。",
        ["Expired"] = "リンクの有効期限が切れています。委託元のご担当者に、新しいリンクの送付をご依頼ください。",
        ["Revoked"] = "このご依頼はすでに完了または取り下げられています。ご不明な点は委託元のご担当者にお問い合わせください。",
        ["WrongPurpose"] = "このリンクはこのページ用ではありません。メールに記載された正しいリンクを開いてください。",
        ["WrongEngagement"] = "このリンクは別のご依頼のものです。メールに記載された正しいリンクを開いてください。",
        ["TooLarge"] = "ファイルが大きすぎます。",
        ["TypeNotAllowed"] = "この形式のファイルは受け付けられません。",
        ["Empty"] = "ファイルが空です。",
        ["SizeDiffersFromDeclared"] = "ファイルが送信中に変わりました。もう一度お試しください。",
        ["HashDiffersFromDeclared"] = "ファイルが送信中に変わりました。もう一度お試しください。",
    };

    private static readonly Dictionary<string, string> En = new(StringComparer.Ordinal)
    {
        ["lang"] = "en",
        ["other_lang"] = "ja",
        ["other_lang_name"] = "日本語",
        ["page_title"] = "Request for information",
        ["intro"] = "Your client has asked for the following. Please answer and upload the documents requested.",
        ["due"] = "Due",
        ["questions"] = "Questions",
        ["yes"] = "Yes",
        ["no"] = "No",
        ["save_answers"] = "Save answers",
        ["answers_saved"] = "Your answers are saved.",
        ["answered"] = "answered",
        ["progress"] = "Progress",
        ["required_note"] = "Questions marked * must be answered.",
        ["answer_required"] = "Please answer this question.",
        ["answer_invalid"] = "This answer is not in the expected form.",
        ["answers_refused"] = "Your answers could not be saved. Please check the questions marked; what you entered is still here.",
        ["evidence"] = "Documents requested",
        ["upload"] = "Upload a file",
        ["upload_hint"] = "PDF, PNG, JPEG and Word / Excel / PowerPoint files only.",
        ["uploaded"] = "Documents received",
        ["accepted"] = "Accepted",
        ["rejected"] = "Not accepted",
        ["checking"] = "Checking…",
        ["submit"] = "Finish and submit",
        ["submitted"] = "Thank you. Your submission is complete and this link no longer works.",
        ["error_title"] = "This link cannot be used",
        ["Malformed"] = "The link is not complete. Open the link from the e-mail exactly as it is, making sure it was not cut off.",
        ["Tampered"] = "The link is not complete. Open the link from the e-mail exactly as it is, making sure it was not cut off.",
        ["Expired"] = "This link has expired. Please ask your contact at the client to send you a new one.",
        ["Revoked"] = "This request has already been completed or withdrawn. Please contact your client if anything is unclear.",
        ["WrongPurpose"] = "This link is not for this page. Please open the link from the e-mail.",
        ["WrongEngagement"] = "This link belongs to another request. Please open the link from the e-mail.",
        ["TooLarge"] = "The file is too large.",
        ["TypeNotAllowed"] = "Files of this type are not accepted.",
        ["Empty"] = "The file is empty.",
        ["SizeDiffersFromDeclared"] = "The file changed while it was sent. Please try again.",
        ["HashDiffersFromDeclared"] = "The file changed while it was sent. Please try again.",
    };

    public static IReadOnlyDictionary<string, string> For(Language language) => language == Language.Ja ? Ja : En;

    public static string Explain(LinkVerdict verdict, Language language) => For(language)[verdict.ToString()];
}

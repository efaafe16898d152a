using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Printing;
using PdfSharp.Drawing;

namespace FuncRegistry.Functions.Applications;

/// <summary>
/// Draws the application form to print, sign and stamp (A4 portrait): title, application number and
/// its QR code, the sections of <see cref="ApplicationForm"/> as two-column tables, a batch's lines,
/// the commitment with its version, the signature and stamp boxes. Long tables go on to further pages.
/// </summary>
public static class ApplicationFormPdf
{
    private const double Margin = 48;
    private const double LabelWidth = 120;
    private const double Size = 10.5;
    private const double LineHeight = 15;
    private static readonly XColor Grey = XColor.FromArgb(0x55, 0x55, 0x55);
    private static readonly XColor Shade = XColor.FromArgb(0xF2, 0xF2, 0xF2);

    /// <summary>The PDF of a form; <paramref name="printedOn"/> is printed in its footer.</summary>
    public static byte[] Render(ApplicationForm form, DateOnly printedOn, string authority)
    {
        var document = PdfCanvas.NewDocument($"{form.Title} {form.ApplicationId}", authority);
        var sheet = new Sheet(document, form, printedOn);
        sheet.Heading();
        sheet.Section("申请人信息", form.Applicant);
        if (form.Certificate.Count > 0) sheet.Section("证书信息", form.Certificate);
        sheet.Section("申请事项", form.Request);
        if (form.Lines is { } lines) sheet.Table("补办证书清单", lines);
        sheet.Commitment();
        sheet.Signatures();
        sheet.Dispose();
        return PdfCanvas.Save(document);
    }

    /// <summary>The page being drawn and where on it, with page breaks.</summary>
    private sealed class Sheet(PdfSharp.Pdf.PdfDocument document, ApplicationForm form, DateOnly printedOn) : IDisposable
    {
        private PdfCanvas _page = NewPage(document, form, printedOn, 1);
        private int _number = 1;
        private double _y = Margin;
        private double Right => _page.Width - Margin;
        private double Bottom => _page.Height - Margin - 20;

        public void Heading()
        {
            var qr = 64.0;
            _page.Qr(form.ApplicationId, new XRect(Right - qr, Margin - 8, qr, qr));
            _page.Text(form.Title, (Margin + Right - qr) / 2, Margin + 18, 15, bold: true, align: TextAlign.Center);
            _page.Text($"申请编号：{form.ApplicationId}", Margin, Margin + 48, Size);
            _page.Text($"申请类型：{form.KindText}　　当前状态：{form.StatusText}", Margin, Margin + 64, Size, color: Grey);
            _y = Margin + qr + 18;
        }

        public void Section(string title, IReadOnlyList<FormField> fields)
        {
            Title(title);
            foreach (var field in fields)
            {
                var lines = _page.Wrap(field.Value, Right - Margin - LabelWidth - 12, Size);
                var height = lines.Count * LineHeight + 8;
                Room(height);
                _page.Fill(new XRect(Margin, _y, LabelWidth, height), Shade);
                _page.Box(new XRect(Margin, _y, LabelWidth, height), 0.5);
                _page.Box(new XRect(Margin + LabelWidth, _y, Right - Margin - LabelWidth, height), 0.5);
                _page.Text(field.Label, Margin + 6, _y + 15, Size);
                var y = _y + 15;
                foreach (var line in lines)
                {
                    _page.Text(line, Margin + LabelWidth + 6, y, Size);
                    y += LineHeight;
                }
                _y += height;
            }
            _y += 10;
        }

        public void Table(string title, FormTable table)
        {
            Title(title);
            double[] widths = [34, 150, 70, 100, 76];
            var all = Right - Margin;
            var columns = widths.Append(all - widths.Sum()).ToArray();
            void Row(IReadOnlyList<string> cells, bool header)
            {
                var height = 22.0;
                Room(height);
                var x = Margin;
                for (var i = 0; i < columns.Length; i++)
                {
                    if (header) _page.Fill(new XRect(x, _y, columns[i], height), Shade);
                    _page.Box(new XRect(x, _y, columns[i], height), 0.5);
                    var text = i < cells.Count ? cells[i] : "";
                    var fitted = _page.Wrap(text, columns[i] - 6, 9)[0];
                    _page.Text(fitted == text ? text : fitted + "…", x + 3, _y + 15, 9);
                    x += columns[i];
                }
                _y += height;
            }
            Row(table.Columns, true);
            foreach (var row in table.Rows) Row(row, false);
            _y += 10;
        }

        public void Commitment()
        {
            Title($"承诺（{form.Commitment.Version}版）");
            var lines = _page.Wrap(form.Commitment.Text, Right - Margin - 12, Size);
            var height = lines.Count * LineHeight + 10;
            Room(height);
            _page.Box(new XRect(Margin, _y, Right - Margin, height), 0.5);
            var y = _y + 16;
            foreach (var line in lines)
            {
                _page.Text(line, Margin + 6, y, Size);
                y += LineHeight;
            }
            _y += height + 14;
        }

        public void Signatures()
        {
            const double height = 112;
            Room(height);
            var half = (Right - Margin) / 2;
            foreach (var (label, x) in new[] { (form.SignatureLabel, Margin), (form.StampLabel, Margin + half) })
            {
                _page.Box(new XRect(x, _y, half, height), 0.5);
                _page.Text(label + "：", x + 8, _y + 20, Size);
                _page.Text("日期：　　　　年　　月　　日", x + half - 8, _y + height - 14, Size, align: TextAlign.Right);
            }
            _y += height;
        }

        private void Title(string title)
        {
            Room(22 + LineHeight + 8);
            _page.Text(title, Margin, _y + 12, 11.5, bold: true);
            _y += 20;
        }

        /// <summary>Moves to a new page unless <paramref name="height"/> still fits on this one.</summary>
        private void Room(double height)
        {
            if (_y + height <= Bottom) return;
            _page.Dispose();
            _page = NewPage(document, form, printedOn, ++_number);
            _y = Margin;
        }

        private static PdfCanvas NewPage(PdfSharp.Pdf.PdfDocument document, ApplicationForm form, DateOnly printedOn, int number)
        {
            var page = PdfCanvas.AddA4Page(document);
            var footer = $"{form.ApplicationId}　第 {number} 页　打印日期 {printedOn:yyyy-MM-dd}　请签字、加盖单位公章后扫描，作为“申请表（签字盖章）”材料上传";
            page.Text(footer, page.Width / 2, page.Height - Margin + 10, 8, color: Grey, align: TextAlign.Center);
            return page;
        }

        public void Dispose() => _page.Dispose();
    }
}

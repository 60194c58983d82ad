using Dsh.Cli;
using Dsh.ReadmePictures;

// Regenerates docs/images: trains the demo model (dsh demo), writes its evaluation report (precision-recall curve,
// contact sheet), builds a gallery of the demo's test photos, serves it and draws a house on the page in Chromium.
string repo = RepoRoot.Find();
string images = Path.Combine(repo, "docs", "images");
string data = Path.Combine(repo, "samples", "data", "pacs-mini");
string work = Directory.CreateTempSubdirectory("dsh-readme-pictures-").FullName;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    string model = Path.Combine(work, "demo.dshm");
    string gallery = Path.Combine(work, "photos.dshi");
    string report = Path.Combine(work, "report");
    Dsh("demo", "--out", model);
    Dsh("eval", "--model", model, "--sketches", Path.Combine(data, "test", "sketch"), "--photos", Path.Combine(data, "test", "photo"), "--report", report);
    Dsh("index", "build", "--model", model, "--photos", Path.Combine(data, "test", "photo"), "--out", gallery);
    foreach (string picture in new[] { "pr-curve.png", "contact-sheet.png" })
    {
        File.Copy(Path.Combine(report, picture), Path.Combine(images, picture), overwrite: true);
        Console.Error.WriteLine($"wrote {Path.Combine(images, picture)}");
    }
    string page = Path.Combine(images, "serve-page.png");
    await ServedPage.DrawHouseAsync(model, gallery, page, cancel.Token);
    Console.Error.WriteLine($"wrote {page}");
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Dsh(params string[] args)
{
    Console.Error.WriteLine("dsh " + string.Join(' ', args));
    int code = DshCli.Run(args, Console.Error, Console.Error, cancel.Token, interactive: false);
    if (code != 0)
    {
        throw new InvalidOperationException($"dsh {args[0]} failed with exit code {code}");
    }
}

// Page shell shared by every explorer page: skip link, site header, main landmark.
import type { Child } from "hono/jsx";
import { STYLES } from "./styles";

export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Feature Atlas`}</title>
        {/* An empty icon: browsers would otherwise ask for /favicon.ico on every page. */}
        <link rel="icon" href="data:," />
        <style>{STYLES}</style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="brand" href="/">Feature Atlas</a>
          <nav aria-label="Site">
            <a href="/">Search</a>
            <a href="/docs">API docs</a>
          </nav>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** Token text with its spaces kept visible: " dog" and "dog" must not look alike. */
export function Tok(props: { text: string | null }) {
  if (props.text === null) return <span class="tok">(unknown token)</span>;
  return <span class="tok">{JSON.stringify(props.text)}</span>;
}

export const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? "–" : Number(v.toFixed(digits)).toString());

export const featurePath = (model: string, sae: string, index: number) =>
  `/models/${encodeURIComponent(model)}/saes/${encodeURIComponent(sae)}/${index}`;

/** A form control with its visible label tied by id, so its accessible name is the label alone. */
export function Field(props: { id: string; label: string; children: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <Layout title={props.status === 404 ? "Not found" : "Error"}>
      <h1>{props.status === 404 ? "Not found" : "Something is wrong with this request"}</h1>
      <p class="alert" role="alert">{props.message}</p>
      <p><a href="/">Back to search</a></p>
    </Layout>
  );
}

import { defineConfig } from "vite";

// Relative asset URLs: the same build is served at /portal/ by the development host and at the
// root of a static website in Azure. `npm run dev` proxies /api to ./run.sh's API.
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
  server: { port: 5173, strictPort: true, proxy: { "/api": "http://127.0.0.1:7071" } },
});

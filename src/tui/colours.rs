//! Colour depth: a theme is written in true colour, but a terminal that
//! does not say it shows 24-bit colour (COLORTERM=truecolor or 24bit) gets
//! the nearest of the 256-colour palette, or of the 16 ANSI colours when
//! TERM does not promise 256 either.

use ratatui::style::{Color, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    TrueColor,
    Palette256,
    Ansi16,
}

impl Depth {
    /// The depth the environment promises.
    pub fn from_env() -> Depth {
        Depth::from_vars(
            std::env::var("COLORTERM").ok().as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    pub fn from_vars(colorterm: Option<&str>, term: Option<&str>) -> Depth {
        let ct = colorterm.unwrap_or("").to_ascii_lowercase();
        if ct == "truecolor" || ct == "24bit" {
            return Depth::TrueColor;
        }
        let term = term.unwrap_or("").to_ascii_lowercase();
        if term.contains("256") || term.contains("direct") {
            Depth::Palette256
        } else {
            Depth::Ansi16
        }
    }
}

/// The style with every RGB colour replaced by what `depth` can show.
pub fn fit_style(style: Style, depth: Depth) -> Style {
    let fit = |c: Option<Color>| c.map(|c| fit_color(c, depth));
    Style {
        fg: fit(style.fg),
        bg: fit(style.bg),
        underline_color: fit(style.underline_color),
        ..style
    }
}

pub fn fit_color(c: Color, depth: Depth) -> Color {
    let Color::Rgb(r, g, b) = c else { return c };
    match depth {
        Depth::TrueColor => c,
        Depth::Palette256 => Color::Indexed(nearest_256(r, g, b)),
        Depth::Ansi16 => nearest_16(r, g, b),
    }
}

fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2) as u32;
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The levels of xterm's 6×6×6 colour cube.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The nearest colour of xterm's 256-colour palette above the 16 system
/// colours (whose shades terminals change): cube or grey ramp.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let level = |v: u8| {
        CUBE.iter()
            .enumerate()
            .min_by_key(|(_, l)| (i32::from(**l) - i32::from(v)).abs())
            .map_or(0, |(i, _)| i)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    // Grey ramp 232..=255: 8, 18, …, 238.
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let gi = ((avg.saturating_sub(8) + 5) / 10).min(23) as u8;
    let grey = 8 + 10 * gi;
    if dist((r, g, b), (grey, grey, grey)) < dist((r, g, b), cube) {
        232 + gi
    } else {
        cube_index as u8
    }
}

/// The nearest of the 16 ANSI colours (xterm's default shades).
fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    const ANSI: [(Color, (u8, u8, u8)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    ANSI.iter()
        .min_by_key(|(_, rgb)| dist((r, g, b), *rgb))
        .map_or(Color::Reset, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_truecolor_or_24bit_in_colorterm_keeps_rgb() {
        let cases = [
            (Some("truecolor"), Some("xterm"), Depth::TrueColor),
            (Some("24bit"), None, Depth::TrueColor),
            (Some("TrueColor"), None, Depth::TrueColor),
            (None, Some("xterm-256color"), Depth::Palette256),
            (Some("yes"), Some("screen-256color"), Depth::Palette256),
            (Some(""), Some("xterm"), Depth::Ansi16),
            (None, Some("linux"), Depth::Ansi16),
            (None, None, Depth::Ansi16),
        ];
        for (ct, term, want) in cases {
            assert_eq!(Depth::from_vars(ct, term), want, "{ct:?} {term:?}");
        }
    }

    #[test]
    fn rgb_maps_to_the_nearest_palette_entry() {
        // Exact cube and grey entries map to themselves.
        assert_eq!(nearest_256(0, 95, 215), 16 + 6 + 4);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(108, 108, 108), 242);
        assert_eq!(nearest_256(28, 28, 28), 234);
        assert_eq!(nearest_16(192, 0, 0), Color::Red);
        assert_eq!(nearest_16(250, 250, 250), Color::White);
    }

    #[test]
    fn a_fitted_style_keeps_modifiers_and_named_colours() {
        let s = Style::new()
            .fg(Color::Rgb(0, 95, 215))
            .bg(Color::Blue)
            .add_modifier(ratatui::style::Modifier::BOLD);
        let f = fit_style(s, Depth::Palette256);
        assert_eq!(f.fg, Some(Color::Indexed(26)));
        assert_eq!(f.bg, Some(Color::Blue));
        assert_eq!(f.add_modifier, s.add_modifier);
        assert_eq!(fit_style(s, Depth::TrueColor), s);
    }
}

//! 任务清单: each responsible unit's indicators, evidence owed and tasks with their deadlines,
//! one PDF each and all of them in one workbook.

use super::{Context, Document, Made};
use crate::render::data::file_name;
use crate::render::xlsx;

pub struct TaskLists;

impl Document for TaskLists {
    fn name(&self) -> &'static str {
        "任务清单"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        for (unit, data) in cx.ws.units.iter().zip(cx.task_lists) {
            out.pdf(
                format!("任务清单/{}.pdf", file_name(&unit.name)),
                "task-list.typ",
                // Strings, counts and lists of them: serializing cannot fail.
                serde_json::to_value(data).unwrap_or_default(),
                false,
            );
        }
        out.xlsx("任务清单.xlsx", xlsx::tasks::task_workbook(cx.task_lists));
    }
}

import { create } from 'zustand';

/** The problem and change screen's own state: which tab and which record are open (opened from an incident too). */
interface ProblemsUi {
  tab: 'problems' | 'changes';
  problemId: string | null;
  changeId: string | null;
  openProblem(id: string): void;
  openChange(id: string): void;
  setTab(tab: 'problems' | 'changes'): void;
}
export const useProblemsUi = create<ProblemsUi>((set) => ({
  tab: 'problems', problemId: null, changeId: null,
  openProblem: (id) => set({ tab: 'problems', problemId: id }),
  openChange: (id) => set({ tab: 'changes', changeId: id }),
  setTab: (tab) => set({ tab }),
}));
